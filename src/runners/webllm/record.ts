import type { ChatOptions, ModelRecord as WebLLMRecord } from "@mlc-ai/web-llm";
import { ApiError } from "../../protocol/index.js";
import { absoluteRecord, type ModelRecord } from "../../models/record.js";

/** Record fields of this engine's own, which web-llm does not know. */
const OWN_FIELDS = ["runner", "chat_template", "tool_parser", "context_window"] as const;

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
export function checkedRecord(record: ModelRecord, base: string | undefined): ModelRecord {
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
export function webllmRecord(record: ModelRecord, contextWindowSize: number | null): WebLLMRecord {
  const rest: Partial<ModelRecord> = { ...record };
  for (const own of OWN_FIELDS) delete rest[own];
  const overrides = { ...record.overrides, ...(contextWindowSize ? { context_window_size: contextWindowSize } : {}) };
  return { ...rest, model_lib: record.model_lib!, overrides } as WebLLMRecord;
}
