import { badResponse, fetchBytes } from "../../models/fetch-file.js";
import type { ProgressCallback } from "../runner.js";

/**
 * Cache API bucket of onnxruntime's wasm (shared by every ONNX model), and of model files fetched
 * through cachingFetch() by pages that run OnnxRunner themselves. The engine keeps model files in
 * ONNX_STORE (model-store.ts), with a record per model, so engine.cache lists them.
 */
const ONNX_CACHE = "webgpu-chat-engine-onnx";

/**
 * A fetch that answers from the Cache API when it holds the URL and stores every good response it
 * fetches, so a model folder loads offline after one visit (as web-llm's cache does). Falls back to
 * plain fetch where the Cache API is missing (insecure contexts); a failed cache write is not an error.
 */
export function cachingFetch(fetchFn: typeof fetch = globalThis.fetch.bind(globalThis), cacheName = ONNX_CACHE): typeof fetch {
  const open = typeof caches === "undefined" ? null : caches.open(cacheName).catch(() => null);
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const cache = await open;
    const hit = await cache?.match(url);
    if (hit) return hit;
    const res = await fetchFn(input, init);
    if (cache && !badResponse(url, res)) {
      try {
        await cache.put(url, res.clone());
      } catch {
        // Quota or an opaque response: the load still works, it just is not cached.
      }
    }
    return res;
  };
}

/** A large file as bytes with download progress, from the Cache API when there, stored there after a download. */
export async function fetchCachedBytes(
  url: string,
  fetchFn: typeof fetch,
  onProgress?: ProgressCallback,
  cacheName = ONNX_CACHE,
): Promise<Uint8Array> {
  const cache = typeof caches === "undefined" ? null : await caches.open(cacheName).catch(() => null);
  const file = url.split("/").pop() ?? url;
  const hit = await cache?.match(url);
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    onProgress?.({ stage: "download", file, loaded: bytes.byteLength, total: bytes.byteLength, text: `${file}: from cache` });
    return bytes;
  }
  const bytes = await fetchBytes(url, fetchFn, onProgress);
  try {
    await cache?.put(
      url,
      new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": "application/octet-stream" } }),
    );
  } catch {
    // Quota: the load still works, it just is not cached.
  }
  return bytes;
}
