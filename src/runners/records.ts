import type { ToolFormat } from "../engine/output/tools/tool-format.js";

/**
 * A model the engine can load: web-llm's ModelRecord shape (so any web-llm record works as is) plus
 * `runner` to pick the reference CPU runner and `chat_template` for models that ship none.
 */
export interface ModelRecord {
  model_id: string;
  /** URL of the model folder (Hugging Face repo URL or any folder with the same files). */
  model: string;
  /** "webllm" (default): MLC weights + `model_lib` wasm on WebGPU. "reference": safetensors on the CPU. */
  runner?: "webllm" | "reference";
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
}

/** A model to load: an id (web-llm prebuilt or "tiny-random-qwen3") or a full record. */
export type ModelSpec = string | ModelRecord;

/** The project's tiny random Qwen3 test model (`npm run model` writes it under public/models). */
export const TINY_MODEL_ID = "tiny-random-qwen3";

/** The tiny model's record, under an app's base URL (where public/ is served). */
export function tinyRecord(appBase: string): ModelRecord {
  return { model_id: TINY_MODEL_ID, model: new URL("models/tiny-random-qwen3/", appBase).href, runner: "reference" };
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
