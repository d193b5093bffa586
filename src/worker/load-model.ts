import { assembleModel, loadModelFiles, type AssembleOptions, type LoadedModel, type ModelFiles } from "../engine/model.js";
import { TOOL_FORMATS, type ToolFormat } from "../engine/output/tools/tool-format.js";
import { ApiError } from "../protocol/index.js";
import { didYouMean } from "../protocol/did-you-mean.js";
import { ConfigError, FetchError, ReferenceRunner, SafetensorsError } from "../runners/reference/index.js";
import {
  DEFAULT_MODEL_BASE,
  folderUrl,
  onnxFolderUrl,
  TINY_MODEL_ID,
  tinyRecord,
  type ModelRecord,
  type ModelSpec,
} from "../runners/records.js";
import { checkDtype, graphFile } from "../runners/onnx/folder.js";
import { checkDevice } from "../runners/onnx/device.js";
import { fetchFailure, fetchJson } from "../runners/fetch-json.js";
import { ONNX_STORE, recordModel, REFERENCE_STORE, storingFetch } from "../runners/model-store.js";
import { ScriptedRunner } from "../runners/scripted/index.js";
import { scriptProblem, type ModelScript } from "../runners/scripted/script.js";
import { ModelTokenizer } from "../engine/prompt/tokenizer.js";
import type { ProgressCallback } from "../runners/runner.js";

export interface LoadOptions {
  onProgress?: ProgressCallback;
  cacheBackend?: "cache" | "indexeddb";
}

/** Turn an id or record into a loaded model on the runner it names. */
export async function loadModel(spec: ModelSpec, opts: LoadOptions = {}): Promise<LoadedModel> {
  const record = await resolveRecord(spec);
  if (record.runner === "reference") return loadReference(record, opts);
  if (record.runner === "onnx") return loadOnnx(record, opts);
  if (record.runner === "scripted") return loadScripted(record);
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
  const base = folderUrl(record.model, self.location.href);
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
      ReferenceRunner.load(base, { contextWindow: record.context_window, onProgress: opts.onProgress, fetch }),
      loadModelFiles(base, fetch),
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

/** An ONNX folder: the runner first (its device check refuses before any download), then the tokenizer files. */
async function loadOnnx(record: ModelRecord, opts: LoadOptions): Promise<LoadedModel> {
  // Imported here so onnxruntime-web is only fetched by pages that load an ONNX model.
  const { OnnxRunner, GraphError, OnnxModelError } = await import("../runners/onnx/index.js");
  const base = onnxFolderUrl(record.model, self.location.href);
  const dtype = checkDtype(record.dtype);
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
      device: checkDevice(record.device),
      contextWindow: record.context_window,
      onProgress: opts.onProgress,
      fetch: fetchFn,
    });
    try {
      const model = await assembleModel(record.model_id, runner, await loadModelFiles(base, fetchFn), assembleOptions(record));
      await recordModel(store);
      return model;
    } catch (e) {
      await runner.dispose();
      throw e;
    }
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
}

type SizesConfig = { vocab_size?: number; max_position_embeddings?: number };

/** A scripted model: the tokenizer files (and config.json's sizes) of `record.model`, no weights. */
async function loadScripted(record: ModelRecord): Promise<LoadedModel> {
  const base = folderUrl(record.model, self.location.href);
  try {
    const [files, config] = await Promise.all([
      loadModelFiles(base),
      fetchJson<SizesConfig>(base + "config.json").catch((): SizesConfig => ({})),
    ]);
    const tokenizer = await ModelTokenizer.load(files.tokenizerJson, files.tokenizerConfig, 0);
    // Without config.json: the added tokens come last in Qwen-style vocabularies.
    const vocabSize = config.vocab_size ?? Math.max(...tokenizer.addedTokens.values()) + 1;
    const contextWindow = Math.min(record.context_window ?? Infinity, config.max_position_embeddings ?? 32768);
    const runner = new ScriptedRunner(record.script as ModelScript, tokenizer, vocabSize, contextWindow);
    return await assembleModel(record.model_id, runner, files, assembleOptions(record));
  } catch (e) {
    if (e instanceof FetchError) throw fetchFailure(e);
    throw e;
  }
}

/**
 * Files every stored model folder needs besides its weights: the reference runner's weights (one file
 * or shards) and an ONNX graph's external data are checked where the store is read.
 */
const FOLDER_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"];

function assembleOptions(r: ModelRecord): AssembleOptions {
  return { chatTemplate: r.chat_template, toolFormat: r.tool_parser };
}

async function resolveRecord(spec: ModelSpec): Promise<ModelRecord> {
  if (typeof spec !== "string") return checkRecord(spec);
  if (spec === TINY_MODEL_ID) return tinyRecord(new URL(DEFAULT_MODEL_BASE, self.location.origin).href);
  const records = await prebuiltRecords();
  const found = records.find((r) => r.model_id === spec);
  if (!found) {
    const hint = didYouMean(spec, [TINY_MODEL_ID, ...records.map((r) => r.model_id)]);
    throw new ApiError({
      type: "not_found_error",
      message: `Unknown model "${spec}": not a web-llm prebuilt id nor "${TINY_MODEL_ID}".${hint} Pass a ModelRecord ({ model_id, model, model_lib }) for a custom model.`,
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
  if (
    r.runner !== undefined &&
    r.runner !== "webllm" &&
    r.runner !== "reference" &&
    r.runner !== "onnx" &&
    r.runner !== "scripted"
  ) {
    throw ApiError.invalid(
      "model.runner",
      `runner must be "webllm", "reference", "onnx" or "scripted", got ${JSON.stringify(r.runner)}.`,
      "invalid_model_record",
    );
  }
  if (r.runner === "onnx") {
    checkDtype(r.dtype);
    checkDevice(r.device);
  } else if (r.dtype !== undefined || r.device !== undefined) {
    throw ApiError.invalid(
      r.dtype !== undefined ? "model.dtype" : "model.device",
      `dtype and device choose an ONNX graph and where it runs: they need runner: "onnx".`,
      "invalid_model_record",
    );
  }
  const problem = r.runner === "scripted" ? scriptProblem(r.script) : null;
  if (problem) {
    const path = "model.script" + (problem.path ? "." + problem.path : "");
    throw ApiError.invalid(path, `${path} ${problem.message}.`, "invalid_model_record");
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
