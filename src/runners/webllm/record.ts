import type { ChatOptions, ModelRecord as WebLLMRecord } from "@mlc-ai/web-llm";
import { z } from "zod";
import { ApiError } from "../../protocol/index.js";
import { absoluteRecord, type BaseModelRecord } from "../../models/record.js";
import { baseRecordFields } from "../../models/record-schema.js";

/**
 * A web-llm model: web-llm's WebLLMModelRecord shape (so any web-llm record works as is), MLC weights and
 * the compiled `model_lib` run on WebGPU. A record without `runner` is one of these.
 */
export interface WebLLMModelRecord extends BaseModelRecord {
  runner?: "webllm";
  /** URL of the compiled model library (.wasm). */
  model_lib?: string;
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

const onnxOnly = { error: 'chooses an ONNX graph or where it runs: it needs runner: "onnx"' };

/** Loose: web-llm reads more fields than this engine names, and they pass through to it. */
export const webllmRecord: z.ZodType<WebLLMModelRecord> = z.looseObject({
  ...baseRecordFields,
  runner: z.literal("webllm").optional(),
  model_lib: z.string({ error: "must be the URL of the compiled model library (.wasm)" }).optional(),
  dtype: z.never(onnxOnly).optional(),
  device: z.never(onnxOnly).optional(),
});

/** Record fields of this engine's own, which web-llm does not know. */
const OWN_FIELDS = ["runner", "chat_template", "tool_parser", "reasoning_parser", "context_window"] as const;

/** web-llm's ModelType.embedding: such a model has no chat pipeline. */
const EMBEDDING_MODEL_TYPE = 1;

/**
 * Sampling settings handed to web-llm's reload as chat options (merged last into its config). The
 * engine picks every token itself, so web-llm's own sampler only needs values it accepts: a config
 * without penalties would otherwise fail its range checks, and these neutral ones also keep it from
 * running its penalty kernel on the public forwardTokensAndSample path.
 */
export const NEUTRAL_SAMPLING = {
  temperature: 1,
  top_p: 1,
  repetition_penalty: 1,
  frequency_penalty: 0,
  presence_penalty: 0,
} satisfies ChatOptions;

/** The record resolved against `base` (the page) and checked for what a chat runner needs. */
export function checkedRecord(record: WebLLMModelRecord, base: string | undefined): WebLLMModelRecord {
  if (!record.model_lib)
    throw ApiError.invalid(
      "model.model_lib",
      `Model record "${record.model_id}" has no model_lib: a web-llm model needs the URL of its compiled .wasm library.`,
      "missing_model_lib",
    );
  if (record.model_type === EMBEDDING_MODEL_TYPE)
    throw ApiError.invalid(
      "model",
      `"${record.model_id}" is an embedding model (model_type 1); chat completions need a chat model.`,
      "not_a_chat_model",
    );
  return absoluteRecord(record, base);
}

/**
 * The record web-llm gets: every field it reads (model_type, required_features, integrity,
 * model_manifest, ...) kept, URLs absolute, and the window cap as an override when the cache is a
 * full one (a sliding-window config must keep context_window_size at -1).
 */
export function toWebLLMRecord(record: WebLLMModelRecord, contextWindowSize: number | null): WebLLMRecord {
  const rest: Partial<WebLLMModelRecord> = { ...record };
  for (const own of OWN_FIELDS) delete rest[own];
  const overrides = { ...record.overrides, ...(contextWindowSize ? { context_window_size: contextWindowSize } : {}) };
  return { ...rest, model_lib: record.model_lib!, overrides } as WebLLMRecord;
}
