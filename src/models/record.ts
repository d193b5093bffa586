import { ApiError } from "../protocol/errors.js";
import type { ReasoningFormat, ToolFormat } from "../protocol/parser-names.js";

/**
 * What every model record has, whichever runner loads it. Each runner's record adds its own fields
 * (runners/<name>/record.ts); their union is `ModelRecord` (runners/registry.ts).
 */
export interface BaseModelRecord {
  model_id: string;
  /** URL of the model folder (Hugging Face repo URL or any folder with the same files). */
  model: string;
  /** Which runner loads it; a record without one is a web-llm record. */
  runner?: string;
  /** Jinja chat template used instead of the model's own (chat_template.jinja or tokenizer_config.json). */
  chat_template?: string;
  /** Tool-call syntax to parse, by vLLM's parser name ("hermes", "llama3_json", ...); detected from the chat template when absent. */
  tool_parser?: ToolFormat;
  /** Reasoning to split off, by vLLM's --reasoning-parser name ("qwen3", "deepseek_r1", ...); detected from the chat template when absent. */
  reasoning_parser?: ReasoningFormat;
  /** Cap the context window (tokens) below the model's own. */
  context_window?: number;
}

/** The project's tiny random Qwen3 test model (`npx webgpu-chat-engine tiny-model <dir>` writes it). */
export const TINY_MODEL_ID = "tiny-random-qwen3";

/** Where apps serve local model folders unless told otherwise (resolved against the page). */
export const DEFAULT_MODEL_BASE = "/models/";

/** The tiny model's record: its folder under `modelBase` (an absolute URL). */
export function tinyRecord(modelBase: string): BaseModelRecord & { runner: "reference" } {
  return { model_id: TINY_MODEL_ID, model: new URL(TINY_MODEL_ID + "/", modelBase).href, runner: "reference" };
}

/**
 * Page side, before a spec crosses to the worker (whose own URL is the worker script's): the tiny
 * model's id becomes its record under `modelBase`, and a record's relative `model` URL becomes
 * absolute against the page.
 */
export function resolveModelSpec<R extends BaseModelRecord>(
  spec: string | R,
  pageUrl: string,
  modelBase: string | URL = DEFAULT_MODEL_BASE,
): string | R | ReturnType<typeof tinyRecord> {
  if (spec === TINY_MODEL_ID) return tinyRecord(new URL(modelBase, pageUrl).href);
  if (typeof spec !== "object" || spec === null) return spec;
  return absoluteRecord(spec, pageUrl);
}

/**
 * The record with `model` and `model_lib` as absolute URLs, resolved against `base` (the page):
 * web-llm builds `new URL(record.model)` without a base, so "/models/x/" would fail inside it.
 */
export function absoluteRecord<R extends BaseModelRecord & { model_lib?: string }>(record: R, base: string | undefined): R {
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
