import type { Tensor } from "onnxruntime-web";

/**
 * Rows [first, first + rows) of a [1, S, V] logits tensor as float32. A GPU tensor is not read whole:
 * the asked rows are copied into a small mappable buffer (one row per decode step instead of S x V)
 * on `device`, the one the session runs on.
 */
export async function readLogits(
  device: GPUDevice | undefined,
  logits: Tensor,
  type: "float32" | "float16",
  vocab: number,
  first: number,
  rows: number,
): Promise<Float32Array> {
  const bytesPer = type === "float16" ? 2 : 4;
  const offset = first * vocab * bytesPer;
  const size = rows * vocab * bytesPer;
  let raw: Float32Array | Uint16Array;
  if (device && logits.location === "gpu-buffer" && offset % 4 === 0 && size % 4 === 0) {
    const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(logits.gpuBuffer as GPUBuffer, offset, staging, 0, size);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const copy = staging.getMappedRange().slice(0);
      raw = type === "float16" ? new Uint16Array(copy) : new Float32Array(copy);
    } finally {
      staging.destroy();
    }
  } else {
    const all = (await logits.getData()) as Float32Array | Uint16Array;
    raw = all.subarray(first * vocab, (first + rows) * vocab);
  }
  return raw instanceof Uint16Array ? halfToFloat(raw) : Float32Array.from(raw);
}

/** IEEE 754 half-precision bits to float32 values. */
function halfToFloat(h: Uint16Array): Float32Array {
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) {
    const x = h[i]!;
    const sign = x & 0x8000 ? -1 : 1;
    const exp = (x >> 10) & 0x1f;
    const frac = x & 0x3ff;
    out[i] =
      exp === 0
        ? sign * 2 ** -14 * (frac / 1024)
        : exp === 31
          ? frac
            ? NaN
            : sign * Infinity
          : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}
