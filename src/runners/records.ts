import { ApiError } from "../protocol/errors.js";
import type { ToolFormat } from "../engine/output/tools/tool-format.js";
import type { ModelScript } from "./scripted/script.js";
import type { RemoteRecord } from "./remote/record.js";

/**
 * A model the engine can load: web-llm's ModelRecord shape (so any web-llm record works as is) plus
 * `runner` to pick the reference CPU runner or the ONNX runner and `chat_template` for models that ship none.
 */
export interface ModelRecord {
  model_id: string;
  /** URL of the model folder (Hugging Face repo URL or any folder with the same files). */
  model: string;
  /**
   * "webllm" (default): MLC weights + `model_lib` wasm on WebGPU. "reference": safetensors on the CPU.
   * "onnx": a transformers.js / onnx-community folder (onnx/model_<dtype>.onnx) on onnxruntime-web.
   * "scripted": no weights, answers `script` (tests; see webgpu-chat-engine/testing), tokenizer from `model`.
   */
  runner?: "webllm" | "reference" | "onnx" | "scripted";
  /** onnx only: which graph of the folder (fp32 → onnx/model.onnx, q4 → onnx/model_q4.onnx, …); default fp32. */
  dtype?: "fp32" | "fp16" | "q4" | "q4f16" | "q8" | "int8" | "uint8" | "bnb4";
  /** onnx only: "webgpu", "wasm" (CPU), or "auto" (default): WebGPU when the adapter can run the dtype, else wasm. */
  device?: "auto" | "webgpu" | "wasm";
  /** runner "scripted" only: what the model answers. */
  script?: ModelScript;
  /** web-llm only: URL of the compiled model library (.wasm). */
  model_lib?: string;
  /** Jinja chat template used instead of the one in tokenizer_config.json. */
  chat_template?: string;
  /** Tool-call syntax to parse, by vLLM's parser name ("hermes", "llama3_json", ...); detected from the chat template when absent. */
  tool_parser?: ToolFormat;
  /** Cap the context window (tokens) below the model's own. */
  context_window?: number;
  required_features?: string[];
  buffer_size_required_bytes?: number;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  overrides?: Record<string, unknown>;
  /** web-llm's ModelType (0 LLM, 1 embedding, 2 VLM). */
  model_type?: number;
  /** web-llm: SRI hashes its downloads are checked against. */
  integrity?: ModelIntegrity;
  /** web-llm: URL (relative to `model`) of an mlc-model-manifest.json. */
  model_manifest?: string;
}

/**
 * web-llm 0.2.86's ModelIntegrity, written out so the public types need no web-llm declarations
 * (a type test checks it stays assignable both ways).
 */
export interface ModelIntegrity {
  /** SRI hash (e.g. "sha256-...") of mlc-chat-config.json. */
  config?: string;
  /** SRI hash of the model library (.wasm). */
  model_lib?: string;
  /** SRI hashes of tokenizer files, by file name. */
  tokenizer?: Record<string, string>;
  onFailure?: "error" | "warn";
}

/** A model to load: an id (web-llm prebuilt or "tiny-random-qwen3"), a full record, or a remote server's model. */
export type ModelSpec = string | ModelRecord | RemoteRecord;

/** The project's tiny random Qwen3 test model (`npx webgpu-chat-engine tiny-model <dir>` writes it). */
export const TINY_MODEL_ID = "tiny-random-qwen3";

/** Where apps serve local model folders unless told otherwise (resolved against the page). */
export const DEFAULT_MODEL_BASE = "/models/";

/** The tiny model's record: its folder under `modelBase` (an absolute URL). */
export function tinyRecord(modelBase: string): ModelRecord {
  return { model_id: TINY_MODEL_ID, model: new URL(TINY_MODEL_ID + "/", modelBase).href, runner: "reference" };
}

/**
 * Page side, before a spec crosses to the worker (whose own URL is the worker script's): the tiny
 * model's id becomes its record under `modelBase`, and a record's relative `model` URL becomes
 * absolute against the page.
 */
export function resolveModelSpec(spec: ModelSpec, pageUrl: string, modelBase: string | URL = DEFAULT_MODEL_BASE): ModelSpec {
  if (spec === TINY_MODEL_ID) return tinyRecord(new URL(modelBase, pageUrl).href);
  if (typeof spec !== "object" || spec === null) return spec;
  if (spec.runner === "remote")
    return typeof spec.base_url === "string" ? { ...spec, base_url: absoluteOr(spec.base_url, pageUrl) } : spec;
  return absoluteRecord(spec, pageUrl);
}

/** `url` made absolute against the page (a same-origin proxy like "/llm/v1"); as given when it is no URL, for the worker to report. */
function absoluteOr(url: string, pageUrl: string): string {
  try {
    return new URL(url, pageUrl).href;
  } catch {
    return url;
  }
}

/**
 * Where web-llm reads a model's files: like its cleanModelUrl, any URL without a `/resolve/<rev>/`
 * segment gets `resolve/main/` (the Hugging Face layout), so local mirrors use that layout too.
 */
export function modelFilesUrl(model: string, base?: string): string {
  let url = model.endsWith("/") ? model : model + "/";
  if (!/.+\/resolve\/.+\//.test(url)) url += "resolve/main/";
  return new URL(url, base).href;
}

/**
 * The record with `model` and `model_lib` as absolute URLs, resolved against `base` (the page):
 * web-llm builds `new URL(record.model)` without a base, so "/models/x/" would fail inside it.
 */
export function absoluteRecord(record: ModelRecord, base: string | undefined): ModelRecord {
  const resolve = (param: "model" | "model_lib", url: string) => {
    try {
      return new URL(url, base).href;
    } catch {
      throw ApiError.invalid(
        `model.${param}`,
        `${param} "${url}" is not a URL${base ? "" : " and there is no page URL to resolve it against"}; give an absolute URL.`,
        "invalid_model_record",
      );
    }
  };
  // A malformed record passes unchanged, for the loader's record check to name what is wrong.
  const out = { ...record };
  if (typeof record.model === "string" && record.model) out.model = resolve("model", record.model);
  if (typeof record.model_lib === "string" && record.model_lib) out.model_lib = resolve("model_lib", record.model_lib);
  return out;
}

/** A model folder's URL, ending in "/" so its files resolve inside it, absolute against `base`. */
export function folderUrl(model: string, base?: string): string {
  return new URL(model.endsWith("/") ? model : model + "/", base).href;
}

/**
 * Where the ONNX runner reads a folder: the URL as given, except a bare Hugging Face repo URL
 * ("https://huggingface.co/onnx-community/Qwen3-0.6B-ONNX") gets `resolve/main/`.
 */
export function onnxFolderUrl(model: string, base?: string): string {
  const url = folderUrl(model, base);
  return /^https:\/\/huggingface\.co\/[^/]+\/[^/]+\/$/.test(url) ? url + "resolve/main/" : url;
}
