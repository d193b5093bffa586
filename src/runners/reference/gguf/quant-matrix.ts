import type { WasmKernels } from "../kernels/wasm-kernels.js";
import { dequantize } from "./dequant.js";
import { SUPPORTED } from "./ggml-types.js";

/**
 * A [rows, cols] weight kept in its file encoding. With wasm kernels its bytes live in their
 * memory and products run there (SIMD); without, the scalar twin below (the kernels' reference).
 */
export class QuantMatrix {
  readonly rowBytes: number;
  private readonly scratch: Float32Array;
  private readonly local: Uint8Array | null;
  private readonly at: number;

  constructor(
    readonly type: number,
    readonly rows: number,
    readonly cols: number,
    bytes: Uint8Array,
    readonly kernels?: WasmKernels,
  ) {
    const bt = SUPPORTED.get(type)!;
    this.rowBytes = (cols / bt.blockSize) * bt.blockBytes;
    this.scratch = new Float32Array(cols);
    this.at = kernels ? kernels.store(bytes) : 0;
    this.local = kernels ? null : bytes;
  }

  /** The weight bytes (a fresh view: wasm memory may have grown). */
  get bytes(): Uint8Array {
    return this.local ?? this.kernels!.bytes(this.at, this.rows * this.rowBytes);
  }

  /** Dequantize row r into out[o .. o+cols). */
  row(r: number, out: Float32Array, o = 0): void {
    dequantize(this.type, this.bytes, r * this.rowBytes, this.cols, out, o);
  }

  /** out[outOffset + r] = row(r) . x (+ bias[r]). */
  matVec(x: Float32Array, out: Float32Array, outOffset = 0, bias?: Float32Array): void {
    this.matMul(x, 1, out, outOffset);
    if (bias) for (let r = 0; r < this.rows; r++) out[outOffset + r] = out[outOffset + r]! + bias[r]!;
  }

  /** out[outOffset + t*rows + r] = row(r) . x[t*cols ..] for t < n: one pass over the weights. */
  matMul(x: Float32Array, n: number, out: Float32Array, outOffset = 0): void {
    if (this.kernels) this.kernels.matmul(this.type, this.at, this.rowBytes, this.rows, this.cols, x, n, out, outOffset);
    else this.matMulScalar(x, n, out, outOffset);
  }

  /** The scalar twin: float32 rows, four float64 partial sums per dot. */
  matMulScalar(x: Float32Array, n: number, out: Float32Array, outOffset = 0): void {
    const { cols, rows, scratch: w } = this;
    for (let r = 0; r < rows; r++) {
      this.row(r, w);
      for (let t = 0; t < n; t++) {
        const xo = t * cols;
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0;
        for (let i = 0; i < cols; i += 4) {
          s0 += w[i]! * x[xo + i]!;
          s1 += w[i + 1]! * x[xo + i + 1]!;
          s2 += w[i + 2]! * x[xo + i + 2]!;
          s3 += w[i + 3]! * x[xo + i + 3]!;
        }
        out[outOffset + t * rows + r] = s0 + s1 + s2 + s3;
      }
    }
  }
}
