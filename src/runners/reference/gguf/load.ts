import { recordModel, REFERENCE_STORE, storingFetch } from "../../../models/store.js";
import type { LoadContext } from "../../plugin.js";
import { wasmKernels } from "../kernels/wasm-kernels.js";
import { loadFailure } from "../load-failure.js";
import type { ReferenceRecord } from "../record.js";
import { modelFromGguf } from "./model.js";
import { readGguf } from "./read-file.js";

/** A record whose `model` is a .gguf file (not a folder) loads through this path. */
export function isGgufUrl(model: string): boolean {
  return /\.gguf(\?.*)?$/i.test(model);
}

/**
 * One GGUF file on the reference runner: weights, config, tokenizer and chat template all come
 * from it. The file is kept in the reference store like a safetensors folder's files.
 */
export async function loadGgufModel<Model>(record: ReferenceRecord, ctx: LoadContext<Model>): Promise<Model> {
  const url = new URL(record.model, ctx.baseUrl).href;
  const folder = url.slice(0, url.lastIndexOf("/") + 1);
  const store = {
    store: REFERENCE_STORE,
    modelId: record.model_id,
    runner: "reference",
    folder,
    required: [url.slice(folder.length)],
  };
  const fetch = storingFetch({ ...store, recordOnRead: false });
  const onProgress = ctx.onProgress;
  try {
    const kernels = await wasmKernels();
    const { header, bytes } = await readGguf(url, fetch, onProgress, kernels);
    const size = bytes.byteLength; // bytes is a view of wasm memory, detached when it grows
    onProgress?.({
      stage: "parse",
      file: store.required[0]!,
      loaded: size,
      total: size,
      text: "reading weights",
    });
    const parts = await modelFromGguf(header, bytes, url, { kernels, contextWindow: record.context_window });
    const model = await ctx.assemble(parts);
    await recordModel(store);
    onProgress?.({ stage: "ready", file: "", loaded: size, total: size, text: "ready" });
    return model;
  } catch (e) {
    throw loadFailure(record.model_id, e);
  }
}
