import { loadModelFiles, type ModelFiles } from "../../models/files.js";
import type { RunnerPlugin } from "../plugin.js";
import { webllmRecord, type WebLLMModelRecord } from "./record.js";

let prebuilt: Promise<readonly WebLLMModelRecord[]> | undefined;
/** web-llm's prebuilt model list (importing web-llm, so only when an id is looked up or a web-llm model loads). */
function prebuiltRecords(): Promise<readonly WebLLMModelRecord[]> {
  prebuilt ??= import("@mlc-ai/web-llm").then((m) => m.prebuiltAppConfig.model_list as WebLLMModelRecord[]);
  return prebuilt;
}

export const webllmPlugin: RunnerPlugin<WebLLMModelRecord> = {
  name: "webllm",
  record: webllmRecord,
  known: prebuiltRecords,
  async load(record, ctx) {
    const [{ WebLLMRunner }, known] = await Promise.all([import("./index.js"), prebuiltRecords()]);
    let files: ModelFiles | undefined;
    // The tokenizer files are read once the WebGPU and config checks passed, before web-llm downloads weights.
    const beforeDownload = async (filesUrl: string) => void (files = await loadModelFiles(filesUrl));
    const runner = await WebLLMRunner.load(record, {
      onProgress: ctx.onProgress,
      cacheBackend: ctx.cacheBackend,
      baseUrl: ctx.baseUrl,
      knownModels: known,
      beforeDownload,
    });
    return { model: await ctx.assemble({ runner, files: files!, eosIds: runner.stopTokenIds }) };
  },
};
