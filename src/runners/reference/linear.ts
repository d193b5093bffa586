import { QuantMatrix } from "./gguf/quant-matrix.js";
import { matVec } from "./ops.js";

/** A weight matrix: dense float32 (safetensors) or kept quantized as the GGUF file stores it. */
export type Matrix = Float32Array | QuantMatrix;

/** out[o] = W[o,:] . x (+ bias[o]) for either kind of weight. */
export function linear(
  w: Matrix,
  rows: number,
  cols: number,
  x: Float32Array,
  out: Float32Array,
  outOffset = 0,
  bias?: Float32Array,
): void {
  if (w instanceof QuantMatrix) w.matVec(x, out, outOffset, bias);
  else matVec(w, rows, cols, x, out, outOffset, bias);
}

/** Copy row r of an embedding table into out. */
export function embeddingRow(w: Matrix, r: number, cols: number, out: Float32Array): void {
  if (w instanceof QuantMatrix) w.row(r, out);
  else out.set(w.subarray(r * cols, (r + 1) * cols));
}
