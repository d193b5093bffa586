/**
 * Keeping a runner's downloaded files in a Cache API store, so a second load reads them locally and
 * `engine.cache` can list and delete them. A model's files sit under its folder URL; one small
 * record per folder names the model and when it was last used. A write over quota fails the load
 * with a typed error and removes every file of that model, so no half-stored model stays behind.
 */
import type { ApiError } from "../protocol/errors.js";
import { badResponse } from "./fetch-file.js";
import { isQuotaExceeded, storageAvailable, storageQuotaError } from "./storage-quota.js";

/** The Cache API store of the reference runner's files. */
export const REFERENCE_STORE = "webgpu-chat-engine/reference";
/** The Cache API store of ONNX model folders (config, tokenizer, graphs, external data) the engine loads. */
export const ONNX_STORE = "webgpu-chat-engine/onnx";
/**
 * Files every stored model folder needs besides its weights (each runner adds its weights' rule:
 * one file or shards, a graph and its external data).
 */
export const FOLDER_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"];

/** The per-model record, stored next to the model's files (under the same folder URL). */
export const MODEL_RECORD_FILE = ".webgpu-chat-engine-model.json";

export interface StoredModelRecord {
  model_id: string;
  runner: string;
  /** Files (relative to the folder) the model needs; all present = complete. */
  required: string[];
  /** When a load last read the model (ms since the epoch). */
  last_used: number;
}

export interface StoringFetchOptions {
  store: string;
  modelId: string;
  runner: string;
  /** The model's folder URL (ends with "/"); every file under it belongs to the model. */
  folder: string;
  required: string[];
  /**
   * false: write the record only through recordModel() once a load succeeded (for folders that hold
   * several models, e.g. an ONNX folder's dtypes, so a failed load of one does not rename the folder).
   */
  recordOnRead?: boolean;
  /** The network fetch (default: the global fetch at call time, so a patched one is honoured). */
  fetch?: typeof fetch;
}

/** A fetch that answers from the store, and stores what it downloads once the whole body arrived. */
export function storingFetch(o: StoringFetchOptions): typeof fetch {
  const network: typeof fetch = (input, init) => (o.fetch ?? globalThis.fetch)(input, init);
  if (typeof caches === "undefined") return network;
  let failed = false;
  const writes = new Set<Promise<unknown>>();
  const open = () => caches.open(o.store);

  /** Drop every file of the model (after a quota error), including writes still finishing. */
  const forget = async () => {
    failed = true;
    await Promise.allSettled([...writes]);
    const cache = await open();
    for (const req of await cache.keys()) if (req.url.startsWith(o.folder)) await cache.delete(req);
  };
  const touch = async () => {
    if (!failed && o.recordOnRead !== false) await recordModel(o);
  };
  const quotaError = async (url: string, needed: number) => {
    await forget();
    return storageQuotaError(url, { needed, available: (await storageAvailable()) ?? 0 });
  };

  return async (input, init) => {
    if (failed) return network(input, init);
    const url = input instanceof Request ? input.url : String(input);
    // Storage can be unavailable (private modes, blocked site data): then the files just are not kept.
    const cache = await open().catch(() => null);
    if (!cache) return network(input, init);
    const hit = await cache.match(url).catch(() => undefined);
    if (hit) {
      await touch();
      return hit;
    }
    const res = await network(input, init);
    if (!res.body || badResponse(url, res)) return res;
    const total = res.headers.get("content-encoding") ? 0 : Number(res.headers.get("content-length") ?? 0);
    const available = total ? await storageAvailable() : null;
    if (available !== null && total > available) {
      void res.body.cancel();
      throw await quotaError(url, total);
    }
    const [mine, theirs] = res.body.tee();
    const stored = cache.put(url, new Response(mine, { status: res.status, statusText: res.statusText, headers: res.headers }));
    const write = stored.then(
      () => null,
      (e: unknown) => e,
    );
    writes.add(write);
    let seen = 0;
    let refused: Promise<ApiError> | undefined;
    const onRefused = () => (refused ??= quotaError(url, total || seen));
    const body = theirs.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        start(ctrl) {
          // Fail the reader as soon as the browser refuses the write, not after the whole download.
          void write.then(async (e) => (isQuotaExceeded(e) ? ctrl.error(await onRefused()) : undefined));
        },
        transform(chunk, ctrl) {
          seen += chunk.byteLength;
          ctrl.enqueue(chunk);
        },
        async flush() {
          const e = await write;
          if (isQuotaExceeded(e)) throw await onRefused();
          if (e) return; // the network broke: the reader sees that error; nothing was stored
          // A body shorter than announced is not kept (the reader reports it); a later put would fail anyway.
          if ((total && seen !== total) || failed) await cache.delete(url);
          else await touch();
        },
      }),
    );
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** Write (or refresh) the folder's record: this model, its required files, used now. */
export async function recordModel(o: Pick<StoringFetchOptions, "store" | "modelId" | "runner" | "folder" | "required">) {
  if (typeof caches === "undefined") return;
  const record: StoredModelRecord = { model_id: o.modelId, runner: o.runner, required: o.required, last_used: Date.now() };
  // The record is bookkeeping: a refused write leaves the files usable, so it fails nothing.
  await caches
    .open(o.store)
    .then((c) => c.put(o.folder + MODEL_RECORD_FILE, Response.json(record)))
    .catch(() => {});
}
