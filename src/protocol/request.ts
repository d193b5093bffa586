import { z } from "zod";
import { messageSchema } from "./messages.js";
import { responseFormatSchema, structuredOutputsSchema } from "./structured.js";
import { toolChoiceSchema, toolSchema } from "./tools.js";

const int = z.number().int();
const penalty = z.number().min(-2).max(2);
const tokenId = int.min(0);
/** JSON has int64 seeds; JS keeps integers exact up to 2^53. */
const seed = int.min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const logitBiasKey = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/, "logit_bias keys must be token ids written as decimal integer strings");

const repetitionDetectionSchema = z.strictObject({
  max_pattern_size: int.min(1),
  min_pattern_size: int.min(0).default(0),
  min_count: int.min(2),
});

const memoryStrategySchema = z.strictObject({
  type: z.literal("last_k"),
  value: int.min(1),
});

/**
 * Every field of `POST /v1/chat/completions` on the API's reference pages (their examples are in
 * test/fixtures/spec-examples), with its range. Unknown fields fail.
 */
export const chatCompletionRequestSchema = z.strictObject({
  messages: z.array(messageSchema).min(1, "messages must hold at least one message"),
  model: z.string().min(1).nullish(),

  // length and count
  max_tokens: int.min(1).nullish(),
  max_completion_tokens: int.min(1).nullish(),
  n: int.min(1).nullish(),
  best_of: int.min(1).nullish(),
  min_tokens: int.min(0).nullish(),
  ignore_eos: z.boolean().nullish(),

  // sampling
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  top_k: int.min(-1).nullish(),
  min_p: z.number().min(0).max(1).nullish(),
  seed: seed.nullish(),
  frequency_penalty: penalty.nullish(),
  presence_penalty: penalty.nullish(),
  repetition_penalty: z.number().gt(0).nullish(),
  logit_bias: z.record(logitBiasKey, z.number().min(-100).max(100)).nullish(),
  allowed_token_ids: z.array(tokenId).min(1).nullish(),
  bad_words: z.array(z.string().min(1)).nullish(),
  logits_processors: z
    .array(
      z.union([
        z.string().min(1),
        z.strictObject({
          qualname: z.string().min(1),
          args: z.array(z.unknown()).optional(),
          kwargs: z.record(z.string(), z.unknown()).optional(),
        }),
      ]),
    )
    .nullish(),
  vllm_xargs: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])).nullish(),

  // stopping
  stop: z.union([z.string().min(1), z.array(z.string().min(1))]).nullish(),
  stop_token_ids: z.array(tokenId).nullish(),
  include_stop_str_in_output: z.boolean().nullish(),
  repetition_detection: repetitionDetectionSchema.nullish(),

  // logprobs and ids
  logprobs: z.boolean().nullish(),
  top_logprobs: int.min(0).max(20).nullish(),
  prompt_logprobs: int.min(0).max(20).nullish(),
  return_tokens_as_token_ids: z.boolean().nullish(),
  return_token_ids: z.boolean().nullish(),

  // detokenization
  skip_special_tokens: z.boolean().nullish(),
  spaces_between_special_tokens: z.boolean().nullish(),

  // streaming
  stream: z.boolean().nullish(),
  stream_options: z
    .strictObject({ include_usage: z.boolean().nullish(), continuous_usage_stats: z.boolean().nullish() })
    .nullish(),

  // prompt building
  echo: z.boolean().nullish(),
  add_generation_prompt: z.boolean().nullish(),
  continue_final_message: z.boolean().nullish(),
  add_special_tokens: z.boolean().nullish(),
  documents: z.array(z.record(z.string(), z.string())).nullish(),
  chat_template: z.string().min(1).nullish(),
  chat_template_kwargs: z.record(z.string(), z.unknown()).nullish(),
  truncate_prompt_tokens: int.min(-1).nullish(),
  truncation_side: z.enum(["left", "right"]).nullish(),
  memory_strategy: memoryStrategySchema.nullish(),

  // tools, structure, reasoning
  tools: z.array(toolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.nullish(),
  structured_outputs: structuredOutputsSchema.nullish(),
  guided_json: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
  guided_regex: z.string().nullish(),
  guided_choice: z.array(z.string()).min(1).nullish(),
  guided_grammar: z.string().nullish(),
  guided_whitespace_pattern: z.string().nullish(),
  guided_decoding_backend: z.string().nullish(),
  reasoning_effort: z.enum(["low", "medium", "high"]).nullish(),
  include_reasoning: z.boolean().nullish(),

  // scheduling and caching
  priority: int.nullish(),
  request_id: z.string().min(1).max(256).nullish(),
  cache_salt: z.string().min(1).nullish(),
  session_id: z.string().nullish(),

  // accepted so they can be refused or honored with a precise message (see normalize.ts)
  user: z.string().optional(),
  use_beam_search: z.boolean().nullish(),
  length_penalty: z.number().nullish(),
  suffix: z.string().nullish(),
  prediction: z.unknown().optional(),
  modalities: z.array(z.string()).nullish(),
  audio: z.unknown().optional(),
  kv_transfer_params: z.record(z.string(), z.unknown()).nullish(),
  mm_processor_kwargs: z.record(z.string(), z.unknown()).nullish(),
  // vLLM 0.32's own fields (test/vllm/fields.spec.ts checks this list against the installed vLLM)
  thinking_token_budget: int.min(-1).nullish(),
  logprob_token_ids: z.array(tokenId).nullish(),
  stream_interval: int.min(1).nullish(),
  return_prompt_text: z.boolean().nullish(),
  watermarking: z.boolean().nullish(),
  ec_transfer_params: z.record(z.string(), z.unknown()).nullish(),
  media_io_kwargs: z.record(z.string(), z.record(z.string(), z.unknown())).nullish(),
  // vLLM reads these on its render endpoints and MoE expert tracing only; on chat completions they change nothing.
  return_token_offsets: z.boolean().nullish(),
  mm_payload: z.enum(["tensors", "none"]).nullish(),
  return_mm_kwargs: z.boolean().nullish(),
  routed_experts_prompt_start: int.min(0).nullish(),
});

export type ChatCompletionRequest = z.input<typeof chatCompletionRequestSchema>;
export type ParsedRequest = z.output<typeof chatCompletionRequestSchema>;
export const REQUEST_FIELDS: readonly string[] = Object.keys(chatCompletionRequestSchema.shape);
