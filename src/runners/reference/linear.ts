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

/** out[t*rows + o] = W[o,:] . x[t*cols ..] (+ bias[o]) for t < n: quantized weights are read once for all n. */
export function linearMany(
  w: Matrix,
  rows: number,
  cols: number,
  x: Float32Array,
  n: number,
  out: Float32Array,
  bias?: Float32Array,
): void {
  if (!(w instanceof QuantMatrix)) {
    for (let t = 0; t < n; t++) matVec(w, rows, cols, x.subarray(t * cols), out, t * rows, bias);
    return;
  }
  w.matMul(x, n, out, 0);
  if (bias) for (let i = 0; i < n * rows; i++) out[i] = out[i]! + bias[i % rows]!;
}

/** Copy row r of an embedding table into out. */
export function embeddingRow(w: Matrix, r: number, cols: number, out: Float32Array): void {
  if (w instanceof QuantMatrix) w.row(r, out);
  else out.set(w.subarray(r * cols, (r + 1) * cols));
}
