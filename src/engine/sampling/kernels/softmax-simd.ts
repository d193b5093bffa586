/**
 * The softmax kernel in WebAssembly SIMD (softmax-wasm.ts), behind the SoftmaxKernel interface
 * of softmax.ts, whose scalar twin it matches bit for bit.
 */
import { BAND_COUNT, BANDS_PER_NAT, sumsOf, type SoftmaxKernel } from "./softmax.js";
import { CONSTANT_BYTES, writeCallVectors } from "./softmax-exp-wasm.js";
import { instantiateSoftmax } from "./softmax-wasm.js";

const fr = Math.fround;

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
