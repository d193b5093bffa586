import { ApiError } from "../../protocol/index.js";
import { fetchFailure } from "../../models/fetch-json.js";
import { FetchError } from "../../models/fetch-file.js";
import { loadModelFiles } from "../../models/files.js";
import { FOLDER_FILES, ONNX_STORE, recordModel, storingFetch } from "../../models/store.js";
import type { RunnerPlugin } from "../plugin.js";
import { graphFile, onnxFolderUrl } from "./folder.js";
import { onnxRecord, type OnnxRecord } from "./record.js";

/** An ONNX folder: the runner first (its device check refuses before any download), then the tokenizer files. */
export const onnxPlugin: RunnerPlugin<OnnxRecord> = {
  name: "onnx",
  record: onnxRecord,
  async load(record, ctx) {
    // Imported here so onnxruntime-web is only fetched by pages that load an ONNX model.
    const { OnnxRunner, GraphError, OnnxModelError } = await import("./index.js");
    const base = onnxFolderUrl(record.model, ctx.baseUrl);
    const dtype = record.dtype ?? "fp32";
    // Files are kept in the ONNX store, so engine.cache lists them and later loads (and offline ones) read them locally.
    const store = {
      store: ONNX_STORE,
      modelId: record.model_id,
      runner: "onnx",
      folder: base,
      // External-data files are checked where the store is read (config.json says how many).
      required: [...FOLDER_FILES, graphFile(dtype)],
    };
    // One folder holds several dtypes: its record names the model last loaded from it, once that load succeeded.
    const fetchFn = storingFetch({ ...store, recordOnRead: false });
    try {
      const runner = await OnnxRunner.load(base, {
        modelId: record.model_id,
        dtype,
        device: record.device ?? "auto",
        contextWindow: record.context_window,
        onProgress: ctx.onProgress,
        fetch: fetchFn,
      });
      const model = await ctx.assemble({ runner, files: await loadModelFiles(base, fetchFn) });
      await recordModel(store);
      return { model };
    } catch (e) {
      if (e instanceof FetchError) throw fetchFailure(e);
      if (e instanceof GraphError || e instanceof OnnxModelError)
        throw new ApiError({
          type: "server_error",
          message: `${record.model_id}: ${e.message}`,
          param: "model",
          code: e instanceof GraphError ? "unsupported_model_graph" : "bad_model_file",
        });
      throw e;
    }
  },
};
