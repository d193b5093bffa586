import { assembleModel, loadModelFiles, type AssembleOptions, type LoadedModel, type ModelFiles } from "../engine/model.js";
import { TOOL_FORMATS, type ToolFormat } from "../engine/output/tools/tool-format.js";
import { ApiError } from "../protocol/index.js";
import { ConfigError, FetchError, ReferenceRunner, SafetensorsError } from "../runners/reference/index.js";
import { TINY_MODEL_ID, tinyRecord, type ModelRecord, type ModelSpec } from "../runners/records.js";
import { fetchFailure } from "../runners/fetch-json.js";
import type { ProgressCallback } from "../runners/runner.js";

export interface LoadOptions {
  onProgress?: ProgressCallback;
  cacheBackend?: "cache" | "indexeddb";
}

/** Turn an id or record into a loaded model on the runner it names. */
export async function loadModel(spec: ModelSpec, opts: LoadOptions = {}): Promise<LoadedModel> {
  const record = await resolveRecord(spec);
  if (record.runner === "reference") return loadReference(record, opts);
  const [{ WebLLMRunner }, known] = await Promise.all([import("../runners/webllm/index.js"), prebuiltRecords()]);
  let files: ModelFiles | undefined;
  const beforeDownload = async (filesUrl: string) => void (files = await loadModelFiles(filesUrl));
  const runner = await WebLLMRunner.load(record, { ...opts, knownModels: known, beforeDownload });
  try {
    return await assembleModel(record.model_id, runner, files!, { ...assembleOptions(record), eosIds: runner.stopTokenIds });
  } catch (e) {
    await runner.dispose();
    throw e;
  }
}

async function loadReference(record: ModelRecord, opts: LoadOptions): Promise<LoadedModel> {
  const base = new URL(record.model.endsWith("/") ? record.model : record.model + "/", self.location.href).href;
  try {
    const [runner, files] = await Promise.all([
      ReferenceRunner.load(base, { contextWindow: record.context_window, onProgress: opts.onProgress }),
      loadModelFiles(base),
    ]);
    return await assembleModel(record.model_id, runner, files, assembleOptions(record));
  } catch (e) {
    if (e instanceof FetchError) throw fetchFailure(e);
    if (e instanceof ConfigError || e instanceof SafetensorsError)
      throw new ApiError({
        type: "server_error",
        message: `${record.model_id}: ${e.message}`,
        param: "model",
        code: "bad_model_file",
      });
    throw e;
  }
}

function assembleOptions(r: ModelRecord): AssembleOptions {
  return { chatTemplate: r.chat_template, toolFormat: r.tool_parser };
}

async function resolveRecord(spec: ModelSpec): Promise<ModelRecord> {
  if (typeof spec !== "string") return checkRecord(spec);
  if (spec === TINY_MODEL_ID) return tinyRecord(self.location.origin + "/");
  const found = (await prebuiltRecords()).find((r) => r.model_id === spec);
  if (!found) {
    throw new ApiError({
      type: "not_found_error",
      message: `Unknown model "${spec}": not a web-llm prebuilt id nor "${TINY_MODEL_ID}". Pass a ModelRecord ({ model_id, model, model_lib }) for a custom model.`,
      param: "model",
      code: "model_not_found",
    });
  }
  return found;
}

function checkRecord(r: ModelRecord): ModelRecord {
  if (
    typeof r !== "object" ||
    r === null ||
    typeof r.model_id !== "string" ||
    !r.model_id ||
    typeof r.model !== "string" ||
    !r.model
  ) {
    throw ApiError.invalid("model", "A model record needs model_id and model (the URL of its folder).", "invalid_model_record");
  }
  if (r.runner !== undefined && r.runner !== "webllm" && r.runner !== "reference") {
    throw ApiError.invalid(
      "model.runner",
      `runner must be "webllm" or "reference", got ${JSON.stringify(r.runner)}.`,
      "invalid_model_record",
    );
  }
  if (r.tool_parser !== undefined && !TOOL_FORMATS.includes(r.tool_parser as ToolFormat)) {
    throw ApiError.invalid(
      "model.tool_parser",
      `tool_parser must be one of ${TOOL_FORMATS.join(", ")}, got ${JSON.stringify(r.tool_parser)}.`,
      "invalid_model_record",
    );
  }
  return r;
}

let prebuilt: Promise<ModelRecord[]> | undefined;
/** web-llm's prebuilt model list (loaded with web-llm only when a non-reference model is asked for). */
function prebuiltRecords(): Promise<ModelRecord[]> {
  prebuilt ??= import("@mlc-ai/web-llm").then((m) => m.prebuiltAppConfig.model_list as ModelRecord[]);
  return prebuilt;
}
