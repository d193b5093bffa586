import { dequantize } from "./dequant.js";
import { SUPPORTED } from "./ggml-types.js";

/** A [rows, cols] weight kept in its file encoding; rows are dequantized on the fly, one at a time. */
export class QuantMatrix {
  readonly rowBytes: number;
  private readonly scratch: Float32Array;

  constructor(
    readonly type: number,
    readonly rows: number,
    readonly cols: number,
    /** The tensor's bytes, rows back to back. */
    readonly bytes: Uint8Array,
  ) {
    const bt = SUPPORTED.get(type)!;
    this.rowBytes = (cols / bt.blockSize) * bt.blockBytes;
    this.scratch = new Float32Array(cols);
  }

  /** Dequantize row r into out[o .. o+cols). */
  row(r: number, out: Float32Array, o = 0): void {
    dequantize(this.type, this.bytes, r * this.rowBytes, this.cols, out, o);
  }

  /** out[outOffset + r] = row(r) . x (+ bias[r]), accumulated in float32-rounded order per 4 lanes. */
  matVec(x: Float32Array, out: Float32Array, outOffset = 0, bias?: Float32Array): void {
    const { cols, scratch: w } = this;
    for (let r = 0; r < this.rows; r++) {
      this.row(r, w);
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let i = 0; i < cols; i += 4) {
        s0 += w[i]! * x[i]!;
        s1 += w[i + 1]! * x[i + 1]!;
        s2 += w[i + 2]! * x[i + 2]!;
        s3 += w[i + 3]! * x[i + 3]!;
      }
      out[outOffset + r] = s0 + s1 + s2 + s3 + (bias ? bias[r]! : 0);
    }
  }
}
