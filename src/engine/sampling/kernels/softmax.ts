/**
 * The softmax pass over the vocabulary, the hottest loop of the engine: a WebAssembly SIMD
 * kernel, and a scalar TypeScript twin that computes the very same bits (every float32 step is
 * rounded with Math.fround). Browsers without WebAssembly SIMD get the twin, so a seed gives the
 * same tokens on either.
 *
 * Weights are exp2.ts's float32 2^((l - max) * invT * log2 e); below 2^-125 of the top token they
 * are 0. The total is summed in float64 over four lanes: lane j takes the ids equal to j mod 4,
 * and the total is (s0 + s2) + (s1 + s3).
 */
import { BAND_COUNT, BANDS_PER_NAT, weightOf } from "./exp2.js";

export { BAND_COUNT, BANDS_PER_NAT, weightOf };

interface SoftmaxResult {
  max: number;
  total: number;
  /** The weights array passed in, or the kernel's own (see run). */
  weights: Float32Array;
}

/** Each token's band: 1/8 nat each below the top token, the last one takes the rest (band-mass.ts sums them). */
export interface Bands {
  of: Uint8Array;
}

export interface SoftmaxKernel {
  /**
   * Fills weights (and bands when given) for logits; weights.length === logits.length. With
   * weights null they stay in the kernel's own array, which the next run overwrites: the SIMD
   * kernel's memory, so the pass saves copying them out.
   */
  run(logits: Float32Array, invT: number, weights: Float32Array | null, bands?: Bands): SoftmaxResult;
  /**
   * An array for logits that run reads where they are (the SIMD kernel's memory, so it skips
   * copying them in); the next caller of input overwrites it, so it suits synchronous use only.
   */
  input(n: number): Float32Array;
  /** The ids whose band is at most `cross`, in id order. */
  head(of: Uint8Array, cross: number): Int32Array;
  /**
   * head(of, upTo) for upTo below the last band, and mass[b] = the weight of band b for every
   * b <= upTo. These sums are exact (band-mass.ts), so the order they are added in is free.
   */
  headSums(of: Uint8Array, weights: Float32Array, upTo: number, mass: Float64Array): Int32Array;
}

/** headSums from head's list, in TypeScript. */
export function sumsOf(ids: Int32Array, of: Uint8Array, weights: Float32Array, upTo: number, mass: Float64Array): Int32Array {
  mass.fill(0, 0, upTo + 1);
  for (let k = 0; k < ids.length; k++) {
    const i = ids[k]!;
    mass[of[i]!]! += weights[i]!;
  }
  return ids;
}

const fr = Math.fround;

/** The scalar twin: the reference the SIMD kernel is tested against, and the fallback. */
let scalarWeights = new Float32Array(0);
let scalarInput = new Float32Array(0);

export const scalarSoftmax: SoftmaxKernel = {
  run(logits, invT, out, bands) {
    const n = logits.length;
    if (!out && scalarWeights.length !== n) scalarWeights = new Float32Array(n);
    const weights = out ?? scalarWeights;
    let max = -Infinity;
    for (let i = 0; i < n; i++) if (logits[i]! > max) max = logits[i]!;
    const m = fr(max);
    const scale = fr(invT * Math.LOG2E);
    const lanes = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const w = weightOf(logits[i]!, m, scale);
      weights[i] = w;
      lanes[i & 3] = lanes[i & 3]! + w;
    }
    if (bands) fillBands(logits, max, invT, bands);
    return { max, total: lanes[0]! + lanes[2]! + (lanes[1]! + lanes[3]!), weights };
  },
  head(of, cross) {
    const out = new Int32Array(of.length);
    let count = 0;
    for (let i = 0; i < of.length; i++) if (of[i]! <= cross) out[count++] = i;
    return out.slice(0, count);
  },
  headSums(of, weights, upTo, mass) {
    return sumsOf(this.head(of, upTo), of, weights, upTo, mass);
  },
  input(n) {
    if (scalarInput.length !== n) scalarInput = new Float32Array(n);
    return scalarInput;
  },
};

/** Bands of logits whose max is known, as the kernel's "softmaxBands" fills them. */
export function fillBands(logits: Float32Array, max: number, invT: number, bands: Bands): void {
  const perNat = fr(invT * BANDS_PER_NAT);
  for (let i = 0; i < logits.length; i++) {
    const x = fr(fr(fr(max) - logits[i]!) * perNat);
    bands.of[i] = x >= BAND_COUNT - 1 ? BAND_COUNT - 1 : x | 0; // NaN -> 0, as trunc_sat
  }
}
