import { describe, expect, it } from "vitest";
import { scalarSoftmax, weightOf } from "../../../src/engine/sampling/kernels/softmax.js";
import { simdSoftmax } from "../../../src/engine/sampling/kernels/softmax-simd.js";
import { softmaxKernel } from "../../../src/engine/sampling/distribution.js";
import { Prng } from "../../../src/engine/sampling/prng.js";

const simd = simdSoftmax();
const bandsOf = (n: number) => ({ of: new Uint8Array(n) });

function logitsFor(n: number, spread: number, seed: number): Float32Array {
  const rng = new Prng(seed);
  const l = Float32Array.from({ length: n }, () => rng.normal() * spread);
  if (n > 8) [l[3], l[7]] = [-Infinity, NaN]; // masked, and a broken processor's output
  return l;
}

describe("softmax kernel", () => {
  it("runs as WebAssembly SIMD in Node (and so in every WebGPU browser)", () => {
    expect(simd).not.toBeNull();
    expect(softmaxKernel).not.toBe(scalarSoftmax);
  });

  it("SIMD and the scalar twin give the same bits: weights, total, max, bands", () => {
    for (const [n, spread, invT] of [
      [1, 1, 1],
      [5, 3, 1.5],
      [1001, 20, 1],
      [151936, 3, 1 / 0.7],
      [4099, 60, 0.25],
    ] as const) {
      const l = logitsFor(n, spread, n);
      const [wa, wb, ba, bb] = [new Float32Array(n), new Float32Array(n), bandsOf(n), bandsOf(n)];
      const a = simd!.run(l, invT, wa, ba);
      const b = scalarSoftmax.run(l, invT, wb, bb);
      expect(a).toEqual(b);
      expect(Buffer.from(wa.buffer).equals(Buffer.from(wb.buffer))).toBe(true);
      expect(ba.of).toEqual(bb.of);
    }
  });

  it("SIMD and the scalar twin agree when a logit is +Infinity or every logit is masked", () => {
    for (const l of [Float32Array.of(1, Infinity, -Infinity, NaN, 0, 3, Infinity, 2, 5), new Float32Array(13).fill(-Infinity)]) {
      const [wa, wb, ba, bb] = [new Float32Array(l.length), new Float32Array(l.length), bandsOf(l.length), bandsOf(l.length)];
      const a = simd!.run(l, 1, wa, ba);
      const b = scalarSoftmax.run(l, 1, wb, bb);
      expect([a.max, a.total, [...wa], [...ba.of]]).toEqual([b.max, b.total, [...wb], [...bb.of]]);
    }
  });

  it("without a weights array, leaves the same bits in the kernel's own, which head calls do not disturb", () => {
    const n = 151936;
    const l = logitsFor(n, 3, 11);
    const [expected, b] = [new Float32Array(n), bandsOf(n)];
    scalarSoftmax.run(l, 1.5, expected, bandsOf(n));
    for (const kernel of [simd!, scalarSoftmax]) {
      const { weights } = kernel.run(l, 1.5, null, b);
      kernel.head(b.of, 60);
      kernel.head(Uint8Array.from(b.of), 255);
      expect(Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength).equals(Buffer.from(expected.buffer))).toBe(true);
    }
  });

  it("weights match exp to float32 precision; masked and NaN logits weigh 0", () => {
    const n = 4096;
    const l = logitsFor(n, 15, 9);
    const w = new Float32Array(n);
    const { max, total } = softmaxKernel.run(l, 1, w);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const exact = Math.exp(l[i]! - max);
      if (Number.isFinite(l[i])) expect(Math.abs(w[i]! - exact)).toBeLessThanOrEqual(exact * 2e-5 + 1e-37);
      sum += Number.isFinite(l[i]) ? exact : 0;
    }
    expect([w[3], w[7]]).toEqual([0, 0]);
    expect(Math.abs(total / sum - 1)).toBeLessThan(1e-5);
  });

  it("the exp2 polynomial itself is within 3e-7 of 2^t", () => {
    for (let t = -125; t <= 0; t += 0.0371) {
      const tf = Math.fround(t);
      expect(Math.abs(weightOf(tf, 0, 1) / 2 ** tf - 1)).toBeLessThan(3e-7);
    }
    expect(weightOf(-126, 0, 1)).toBe(0);
    expect(weightOf(0, 0, 1)).toBe(1);
  });

  it("bands: 1/8 nat each below the top token, the last one takes the rest", () => {
    const l = Float32Array.of(10, 9.95, 9.8, 9, 0, -Infinity);
    const b = bandsOf(l.length);
    softmaxKernel.run(l, 1, new Float32Array(l.length), b);
    expect([...b.of]).toEqual([0, 0, 1, 8, 80, 255]);
  });
});

describe("head", () => {
  it("lists the bands a run just filled (read in place) as the scalar twin does, and again after another array's", () => {
    for (const n of [5, 17, 151936]) {
      const l = logitsFor(n, 3, n + 1);
      const b = bandsOf(n);
      simd!.run(l, 1 / 0.7, new Float32Array(n), b);
      const other = Uint8Array.from(b.of, (x) => 255 - x);
      for (const cross of [0, 40, 254]) {
        expect(simd!.head(b.of, cross)).toEqual(scalarSoftmax.head(b.of, cross));
        expect(simd!.head(other, cross)).toEqual(scalarSoftmax.head(other, cross));
      }
    }
  });

  it("lists the ids of bands up to the crossing one, as the scalar twin does", () => {
    for (const n of [3, 16, 17, 151936]) {
      const rng = new Prng(n);
      const of = Uint8Array.from({ length: n }, () => Math.floor(rng.next() * 256));
      for (const cross of [0, 7, 200, 255]) {
        const expected = Int32Array.from([...of.keys()].filter((i) => of[i]! <= cross));
        expect(simd!.head(of, cross)).toEqual(expected);
        expect(scalarSoftmax.head(of, cross)).toEqual(expected);
      }
    }
  });
});
