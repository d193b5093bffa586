import { loadModelFiles } from "../../models/files.js";
import { folderUrl } from "../../models/record.js";
import { FOLDER_FILES, REFERENCE_STORE, storingFetch } from "../../models/store.js";
import type { RunnerPlugin } from "../plugin.js";
import { ReferenceRunner } from "./index.js";
import { loadFailure } from "./load-failure.js";
import { referenceRecord, type ReferenceRecord } from "./record.js";
import { isGgufUrl, loadGgufModel } from "./gguf/load.js";

export const referencePlugin: RunnerPlugin<ReferenceRecord> = {
  name: "reference",
  record: referenceRecord,
  async load(record, ctx) {
    if (isGgufUrl(record.model)) return { model: await loadGgufModel(record, ctx) };
    const base = folderUrl(record.model, ctx.baseUrl);
    // Files are kept in the reference store, so engine.cache lists them and a second load reads them locally.
    const fetch = storingFetch({
      store: REFERENCE_STORE,
      modelId: record.model_id,
      runner: "reference",
      folder: base,
      required: FOLDER_FILES,
    });
    try {
      const [runner, files] = await Promise.all([
        ReferenceRunner.load(base, { contextWindow: record.context_window, onProgress: ctx.onProgress, fetch }),
        loadModelFiles(base, fetch),
      ]);
      return { model: await ctx.assemble({ runner, files }) };
    } catch (e) {
      throw loadFailure(record.model_id, e);
    }
  },
};
