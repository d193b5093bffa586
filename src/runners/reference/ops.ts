/** Dense float32 kernels of the reference decoder. Plain loops, unrolled where it pays. */

/** out[o] = W[o,:] . x (+ bias[o]) for a row-major W of shape [rows, cols]. */
export function matVec(
  w: Float32Array,
  rows: number,
  cols: number,
  x: Float32Array,
  out: Float32Array,
  outOffset = 0,
  bias?: Float32Array,
): void {
  const c4 = cols - (cols % 4);
  for (let o = 0; o < rows; o++) {
    const base = o * cols;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let i = 0; i < c4; i += 4) {
      s0 += w[base + i]! * x[i]!;
      s1 += w[base + i + 1]! * x[i + 1]!;
      s2 += w[base + i + 2]! * x[i + 2]!;
      s3 += w[base + i + 3]! * x[i + 3]!;
    }
    for (let i = c4; i < cols; i++) s0 += w[base + i]! * x[i]!;
    out[outOffset + o] = s0 + s1 + s2 + s3 + (bias ? bias[o]! : 0);
  }
}

/** In-place RMSNorm of v[offset .. offset+n) with gain w. */
export function rmsNorm(v: Float32Array, offset: number, n: number, w: Float32Array, eps: number): void {
  let ss = 0;
  for (let i = 0; i < n; i++) ss += v[offset + i]! * v[offset + i]!;
  const scale = 1 / Math.sqrt(ss / n + eps);
  for (let i = 0; i < n; i++) v[offset + i] = v[offset + i]! * scale * w[i]!;
}

export function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

const GELU_C = Math.sqrt(2 / Math.PI);
/** gelu with the tanh approximation (torch's gelu(approximate="tanh"), Gemma's gelu_pytorch_tanh). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
}

/** In-place softmax of v[0 .. n). */
export function softmax(v: Float32Array, n: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (v[i]! > max) max = v[i]!;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(v[i]! - max);
    v[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) v[i] = v[i]! / sum;
}
