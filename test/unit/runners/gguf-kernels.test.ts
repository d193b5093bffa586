/**
 * The SIMD matmul kernels (kernels.c) against their scalar twin (QuantMatrix.matMulScalar) on the
 * fixtures' matrices in every block type: decode (one input) and prompt chunks of several inputs,
 * with odd row counts and input counts that are not a multiple of the four-input tile.
 */
import { describe, expect, it } from "vitest";
import { QuantMatrix } from "../../../src/runners/reference/gguf/quant-matrix.js";
import { parseGguf } from "../../../src/runners/reference/gguf/read-file.js";
import { wasmKernels } from "../../../src/runners/reference/kernels/wasm-kernels.js";
import { BLOCK_TYPES, readFixture } from "./gguf-fixtures.js";

/**
 * Max |simd - scalar| over max |scalar|. The kernels sum in float32 (block-32 types as
 * d·Σq·x + m·Σx), the twin in float64, so they differ by rounding only.
 */
const TOLERANCE = 2e-6;

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 30 - 1;
  });
}

describe.each(BLOCK_TYPES)("matmul kernels in %s", (type) => {
  it.each([1, 3, 6, 9])("%i input(s): within the tolerance of the scalar twin for every matrix", async (n) => {
    const { bytes, file } = readFixture(type);
    const header = parseGguf(bytes, file);
    const kernels = await wasmKernels();
    let checked = 0;
    for (const info of header.tensors.values()) {
      if (info.dims.length !== 2) continue;
      const [cols, rows] = info.dims as [number, number];
      const data = bytes.subarray(info.begin, info.begin + info.byteLength);
      // Drop a row so the two-row and four-row loops meet an odd remainder.
      const r = rows % 2 ? rows : rows - 1;
      const rowBytes = info.byteLength / rows;
      const simd = new QuantMatrix(info.type, r, cols, data.subarray(0, r * rowBytes), kernels);
      const scalar = new QuantMatrix(info.type, r, cols, data.subarray(0, r * rowBytes));
      const x = random(n * cols, cols + n);
      const got = new Float32Array(n * r);
      const want = new Float32Array(n * r);
      simd.matMul(x, n, got);
      scalar.matMulScalar(x, n, want);
      let diff = 0;
      let scale = 0;
      for (let i = 0; i < want.length; i++) {
        diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
        scale = Math.max(scale, Math.abs(want[i]!));
      }
      expect(diff / scale, info.name).toBeLessThan(TOLERANCE);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });
});
