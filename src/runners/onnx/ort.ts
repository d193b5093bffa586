import type * as OrtModule from "onnxruntime-web";
// The URL of onnxruntime's WebGPU+WASM binary inside our own build (Vite copies it as an asset): no CDN.
// no-inline: a library build would otherwise inline all 26 MB as a base64 data URL.
import wasmUrl from "onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url&no-inline";
import { ApiError } from "../../protocol/errors.js";
import type { ProgressCallback } from "../../models/progress.js";
import { fetchCachedBytes } from "./cache.js";

export type Ort = typeof OrtModule;

let loading: Promise<Ort> | undefined;

/**
 * onnxruntime-web's WebGPU build (its WebGPU and WASM execution providers), imported only when an
 * ONNX model is loaded so pages running other runners never download it. Its wasm binary comes from
 * our own origin through the model cache (so it loads offline too) and is handed over as bytes.
 */
export function loadOrt(fetchFn: typeof fetch, onProgress?: ProgressCallback): Promise<Ort> {
  if (!wasmUrl) return Promise.reject(noWasm());
  loading ??= (async () => {
    const [ort, binary] = await Promise.all([
      import("onnxruntime-web/webgpu"),
      fetchCachedBytes(new URL(wasmUrl, globalThis.location.href).href, fetchFn, onProgress),
    ]);
    ort.env.wasm.wasmBinary = binary;
    ort.env.wasm.numThreads = wasmThreads();
    ort.env.wasm.proxy = false;
    ort.env.logLevel = "error";
    return ort;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

/**
 * WebAssembly threads need SharedArrayBuffer, which only a cross-origin-isolated page (COOP
 * same-origin + COEP require-corp) has; onnxruntime's own default would take half the cores, one
 * on a 2-core machine. Up to 4: past that, a 135M-1B model's matmuls gain little here.
 */
function wasmThreads(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 1));
}

/** The threads onnxruntime's WASM backend runs on once a session is open (it falls back to 1 where threads fail). */
export function wasmThreadCount(ort: Ort): number {
  return ort.env.wasm.numThreads ?? 1;
}

/** The worker copy started from a blob: URL (esbuild apps) has no folder to serve onnxruntime's wasm from. */
function noWasm(): ApiError {
  return new ApiError({
    type: "service_unavailable_error",
    param: "model",
    code: "onnx_runtime_unavailable",
    message:
      "This engine worker was started from a blob: URL (the inline copy used when the bundler emits no worker file, as with esbuild), " +
      "which cannot carry onnxruntime's wasm. Serve the package's dist/worker/ folder with your app and pass " +
      'createEngine({ worker: () => new Worker("/<where you serve it>/worker.js", { type: "module" }) }).',
  });
}
