import type { ModelScript } from "./scripted/script.js";

/**
 * A model the engine can load: web-llm's ModelRecord shape (so any web-llm record works as is) plus
 * `runner` to pick the reference CPU runner and `chat_template` for models that ship none.
 */
export interface ModelRecord {
  model_id: string;
  /** URL of the model folder (Hugging Face repo URL or any folder with the same files). */
  model: string;
  /**
   * "webllm" (default): MLC weights + `model_lib` wasm on WebGPU. "reference": safetensors on the CPU.
   * "scripted": no weights, answers `script` (tests; see webgpu-chat-engine/testing), tokenizer from `model`.
   */
  runner?: "webllm" | "reference" | "scripted";
  /** runner "scripted" only: what the model answers. */
  script?: ModelScript;
  /** web-llm only: URL of the compiled model library (.wasm). */
  model_lib?: string;
  /** Jinja chat template used instead of the one in tokenizer_config.json. */
  chat_template?: string;
  /** Tool-call syntax to parse ("hermes", "llama3_json", "mistral"); detected from the chat template when absent. */
  tool_parser?: "hermes" | "llama3_json" | "mistral";
  /** Cap the context window (tokens) below the model's own. */
  context_window?: number;
  required_features?: string[];
  buffer_size_required_bytes?: number;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  overrides?: Record<string, unknown>;
}

/** A model to load: an id (web-llm prebuilt or "tiny-random-qwen3") or a full record. */
export type ModelSpec = string | ModelRecord;

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
  if (typeof spec === "string" || typeof spec !== "object" || spec === null || typeof spec.model !== "string") return spec;
  return { ...spec, model: new URL(spec.model, pageUrl).href };
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
