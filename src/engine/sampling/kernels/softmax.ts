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
import { CONSTANT_BYTES, writeCallVectors } from "./softmax-exp-wasm.js";
import { instantiateSoftmax } from "./softmax-wasm.js";

export { BAND_COUNT, weightOf };

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
function sumsOf(ids: Int32Array, of: Uint8Array, weights: Float32Array, upTo: number, mass: Float64Array): Int32Array {
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

/** The SIMD kernel, or null where WebAssembly SIMD is missing. */
export function simdSoftmax(): SoftmaxKernel | null {
  const k = instantiateSoftmax();
  if (!k) return null;
  const reserve = (bytes: number) => {
    const have = k.memory.buffer.byteLength;
    if (have < bytes) k.memory.grow(Math.ceil((bytes - have) / 65536));
    return k.memory.buffer;
  };
  // After the constants: logits, weights, bands, the ids head lists from them, room for head to
  // copy in bands it did not fill and list theirs, then headSums' masses. A run reserves it all,
  // so no later growth detaches the weights it leaves in memory.
  const layout = (n: number) => {
    const [n8, n16] = [(n + 7) & ~7, (n + 15) & ~15]; // the softmax passes take 8 logits at a time
    const [inAt, wAt, ofAt] = [CONSTANT_BYTES, CONSTANT_BYTES + n8 * 4, CONSTANT_BYTES + n8 * 8];
    const copyAt = ofAt + 5 * n16;
    const massAt = copyAt + 5 * n16;
    return { n8, n16, inAt, wAt, ofAt, copyAt, massAt, end: massAt + BAND_COUNT * 8 };
  };
  // The bands and weights the last run filled: still at ofAt and wAt, so head need not copy them in.
  let resident: Uint8Array | null = null;
  let residentWeights: Float32Array | null = null;
  const listed = (heap: ArrayBuffer, outAt: number, count: number, n: number) => {
    const ids = new Int32Array(heap, outAt, count);
    let valid = count;
    while (valid > 0 && ids[valid - 1]! >= n) valid--; // ids in the padding
    return ids.slice(0, valid);
  };
  return {
    run(logits, invT, out, bands) {
      const n = logits.length;
      const { n8, n16, inAt, wAt, ofAt, end } = layout(n);
      const heap = reserve(end);
      const input = new Float32Array(heap, inAt, n8);
      if (logits.buffer !== heap || logits.byteOffset !== inAt) input.set(logits);
      input.fill(-Infinity, n);
      const max = k.max(inAt, n8);
      const scale = fr(invT * Math.LOG2E);
      // fr(max - l) * perNat is exactly -(fr(l - max) * perNat): the kernel reuses l - max.
      const negPerNat = -fr(invT * BANDS_PER_NAT);
      writeCallVectors(k.memory, max, scale, negPerNat);
      const total = (bands ? k.softmaxBands : k.softmax)(n8, inAt, wAt, ofAt);
      const weights = new Float32Array(heap, wAt, n);
      out?.set(weights);
      if (bands) bands.of.set(new Uint8Array(heap, ofAt, n));
      new Uint8Array(heap, ofAt + n8, n16 - n8).fill(BAND_COUNT - 1); // the ids head may read past the logits'
      resident = bands?.of ?? null;
      residentWeights = weights;
      return { max, total, weights: out ?? weights };
    },
    head(of, cross) {
      const { n16, ofAt: filledAt, copyAt, end } = layout(of.length);
      const heap = reserve(end);
      let ofAt = filledAt;
      if (of !== resident) {
        ofAt = copyAt;
        if (of.length !== resident?.length) resident = null; // another size's layout may overlap the run's
        const bands = new Uint8Array(heap, ofAt, n16);
        bands.set(of);
        bands.fill(255, of.length); // padding; an id past the end is dropped below
      }
      return listed(heap, ofAt + n16, k.head(ofAt, n16, cross, ofAt + n16), of.length);
    },
    input(n) {
      const { inAt, end } = layout(n);
      return new Float32Array(reserve(end), inAt, n);
    },
    headSums(of, weights, upTo, mass) {
      if (of !== resident || weights !== residentWeights) return sumsOf(this.head(of, upTo), of, weights, upTo, mass);
      const { n16, wAt, ofAt, massAt } = layout(of.length);
      const heap = k.memory.buffer;
      const sums = new Float64Array(heap, massAt, upTo + 1);
      sums.fill(0);
      const ids = listed(heap, ofAt + n16, k.headSums(ofAt, n16, upTo, ofAt + n16, wAt, massAt), of.length);
      mass.set(sums);
      return ids;
    },
  };
}
