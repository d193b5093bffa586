import { z } from "zod";

const int = z.number().int();
/** vLLM sends null where OpenAI omits a field: both parse to absent. */
const absentIfNull = <T extends z.ZodType>(t: T) =>
  t
    .nullish()
    .transform((v) => v ?? undefined)
    .optional();

const topLogprob = z.object({ token: z.string(), logprob: z.number(), bytes: z.array(int).nullable() });
const tokenLogprobSchema = topLogprob.extend({ top_logprobs: z.array(topLogprob) });
const choiceLogprobsSchema = z.object({
  content: z.array(tokenLogprobSchema).nullable(),
  refusal: z.array(tokenLogprobSchema).nullable().default(null),
});

/** "abort" is vLLM's reason for a request cancelled mid-generation. */
const finishReasonSchema = z.enum(["stop", "length", "tool_calls", "abort", "content_filter", "function_call"]);

const usageSchema = z.object({
  prompt_tokens: int,
  completion_tokens: int,
  total_tokens: int,
  prompt_tokens_details: absentIfNull(z.object({ cached_tokens: int }).loose()),
  completion_tokens_details: absentIfNull(z.object({ reasoning_tokens: int.optional() }).loose()),
});

const toolCallOutSchema = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

/** vLLM's prompt_logprobs: per prompt position, token id -> {logprob, rank, decoded_token}; first is null. */
const promptLogprobsSchema = z.array(
  z.record(z.string(), z.object({ logprob: z.number(), rank: int.nullish(), decoded_token: z.string().nullish() })).nullable(),
);

/**
 * The answer's role: "assistant", or the last message's role when add_generation_prompt is false
 * (vLLM), which validation accepts. Typed "assistant", as the `openai` SDK types it, so a reply goes
 * back into `messages` as it is (`messages.push(choice.message)`), the pattern every client uses.
 */
const roleSchema = z.enum(["system", "developer", "user", "assistant", "tool"]) as unknown as z.ZodType<"assistant">;

export const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: int,
  model: z.string(),
  choices: z.array(
    z.object({
      index: int,
      message: z.object({
        role: roleSchema,
        content: z.string().nullable(),
        refusal: z.string().nullable().default(null),
        tool_calls: z.array(toolCallOutSchema).optional(),
        reasoning_content: z.string().nullish(),
        reasoning: z.string().nullish(),
        // The engine sends these as null on every message (as vLLM 0.32 does); other servers may fill them.
        annotations: z.unknown().optional(),
        audio: z.unknown().optional(),
        function_call: z.unknown().optional(),
      }),
      logprobs: choiceLogprobsSchema.nullable().default(null), // some servers omit it; ours always sends it
      finish_reason: finishReasonSchema,
      stop_reason: z.union([z.string(), int]).nullish(),
      token_ids: z.array(int).nullish(),
      routed_experts: z.unknown().optional(),
    }),
  ),
  usage: usageSchema,
  system_fingerprint: absentIfNull(z.string()),
  service_tier: z.enum(["auto", "default", "flex", "scale", "priority"]).nullish(),
  prompt_logprobs: promptLogprobsSchema.nullish(),
  prompt_token_ids: z.array(int).nullish(),
  prompt_text: z.string().nullish(),
  kv_transfer_params: z.record(z.string(), z.unknown()).nullish(),
  ec_transfer_params: z.record(z.string(), z.unknown()).nullish(),
  metrics: z.unknown().optional(),
});

const toolCallDeltaSchema = z.object({
  index: int,
  id: z.string().optional(),
  type: z.literal("function").optional(),
  function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
});

export const chatCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: int,
  model: z.string(),
  choices: z.array(
    z.object({
      index: int,
      delta: z.object({
        role: roleSchema.optional(),
        content: z.string().nullish(),
        reasoning_content: z.string().nullish(),
        reasoning: z.string().nullish(),
        tool_calls: z.array(toolCallDeltaSchema).optional(),
      }),
      logprobs: choiceLogprobsSchema.nullish(),
      finish_reason: finishReasonSchema.nullable(),
      stop_reason: z.union([z.string(), int]).nullish(),
      token_ids: z.array(int).nullish(),
    }),
  ),
  usage: usageSchema.nullish(),
  system_fingerprint: absentIfNull(z.string()),
  prompt_token_ids: z.array(int).nullish(),
  prompt_text: z.string().nullish(),
});

export type ChatCompletion = z.infer<typeof chatCompletionSchema>;
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
export type CompletionUsage = z.infer<typeof usageSchema>;
export type TokenLogprob = z.infer<typeof tokenLogprobSchema>;
export type ChoiceLogprobs = z.infer<typeof choiceLogprobsSchema>;
export type FinishReason = z.infer<typeof finishReasonSchema>;
export type PromptLogprobs = z.infer<typeof promptLogprobsSchema>;
