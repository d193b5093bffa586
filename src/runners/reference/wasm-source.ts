import { QuantMatrix } from "./gguf/quant-matrix.js";
import type { WasmKernels } from "./kernels/wasm-kernels.js";
import type { Matrix } from "./linear.js";
import type { TensorSource } from "./weights.js";

/** ggml's type id of float32: the kernels read such rows in place. */
const F32 = 0;

/**
 * A safetensors source whose weight matrices live in the kernels' memory as float32, so their
 * products run in wasm SIMD with float32 sums. A matrix that no longer fits (wasm32 stops at
 * 4 GiB) stays a Float32Array on the JavaScript loops.
 */
export function inKernels(source: TensorSource, kernels: WasmKernels): TensorSource {
  return {
    get: (name, shape) => source.get(name, shape),
    matrix(name: string, shape: readonly number[]): Matrix {
      const w = source.get(name, shape);
      try {
        return new QuantMatrix(F32, shape[0]!, shape[1]!, new Uint8Array(w.buffer, w.byteOffset, w.byteLength), kernels);
      } catch (e) {
        if (e instanceof RangeError) return w; // memory.grow refused
        throw e;
      }
    },
  };
}
