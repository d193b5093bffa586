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
}

const LOG2E = 1.4426950408889634;
/** 2^-i for i in 0..1075. */
const POW2_NEG = Float64Array.from({ length: 1076 }, (_, i) => 2 ** -i);

/**
 * exp(x) for x <= 0 by 2^round(y) * poly(y - round(y)) (relative error < 1e-8): several times faster
 * than Math.exp, and the same bits on every JS engine, which keeps seeded sampling reproducible.
 */
export function expNonPositive(x: number): number {
  const y = x * LOG2E;
  if (!(y > -1075)) return 0; // also -Infinity and NaN
  const n = Math.round(y);
  const f = (y - n) * 0.6931471805599453;
  const p = 1 + f * (1 + f * (0.5 + f * (0.16666666666666666 + f * (0.041666666666666664 + f * (0.008333333333333333 + f * (0.001388888888888889 + f * 0.0001984126984126984))))));
  return POW2_NEG[-n]! * p;
}

export function distribution(logits: Float32Array, temperature: number, weights: Float32Array): Distribution {
  const invT = temperature > 0 ? 1 / temperature : 1;
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  if (max === -Infinity) throw new Error("every token is masked: nothing can be sampled");
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const w = expNonPositive((logits[i]! - max) * invT);
    weights[i] = w;
    total += w;
  }
  return { max, invT, weights, total, logTotal: Math.log(total) };
}

/** log p(id) under the distribution. */
export function logprobOf(logits: Float32Array, d: Distribution, id: number): number {
  return Math.max((logits[id]! - d.max) * d.invT - d.logTotal, -9999);
}
