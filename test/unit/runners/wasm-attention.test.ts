/**
 * The wasm kernels' attention (wasm-attention.ts, kernels.c's attend) against the JavaScript loops
 * (attention.ts): chunks of queries and single steps, grouped KV heads, a sliding-window layer,
 * head dims that are and are not a multiple of 16, the cache grown past its first capacity.
 */
import { describe, expect, it } from "vitest";
import { JsAttention } from "../../../src/runners/reference/attention.js";
import type { DecoderConfig } from "../../../src/runners/reference/config.js";
import { wasmKernels } from "../../../src/runners/reference/kernels/wasm-kernels.js";
import { WasmAttention } from "../../../src/runners/reference/wasm-attention.js";

/** Max |wasm - js| over max |js|: float32 dots and sums in another order, the same softmax. */
const TOLERANCE = 2e-6; // measured: 6.1e-7

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 30 - 1) * 3;
  });
}

describe.each([
  [64, 9, 3],
  [20, 4, 2],
])("head dim %i, %i heads on %i KV heads", (headDim, numHeads, numKvHeads) => {
  it("matches the JavaScript attention at every position, windowed layer included", async () => {
    const cfg = {
      headDim,
      numHeads,
      numKvHeads,
      numLayers: 2,
      attentionScale: 1 / Math.sqrt(headDim),
      slidingWindows: [null, 5],
    } as unknown as DecoderConfig;
    const js = new JsAttention(cfg, 200);
    const wasm = new WasmAttention(cfg, 200, await wasmKernels());
    const qDim = numHeads * headDim;
    const kvDim = numKvHeads * headDim;
    let pos = 0;
    let worst = 0;
    for (const n of [7, 1, 1, 33, 2, 1, 70]) {
      for (const a of [js, wasm]) a.ensure(pos + n);
      for (let l = 0; l < 2; l++) {
        const q = random(n * qDim, pos * 7 + l + 1);
        const k = random(n * kvDim, pos * 11 + l + 2);
        const v = random(n * kvDim, pos * 13 + l + 3);
        const want = new Float32Array(n * qDim);
        const got = new Float32Array(n * qDim);
        js.store(l, pos, n, k, v);
        wasm.store(l, pos, n, k, v);
        js.attend(l, pos, n, q, want);
        wasm.attend(l, pos, n, q, got);
        let diff = 0;
        let scale = 0;
        for (let i = 0; i < want.length; i++) {
          diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
          scale = Math.max(scale, Math.abs(want[i]!));
        }
        worst = Math.max(worst, diff / scale);
      }
      pos += n;
    }
    expect(worst).toBeLessThan(TOLERANCE);
  });
});
