import { didYouMean } from "./did-you-mean.js";
import { requestedModel } from "./default-model.js";
import { ApiError } from "./errors.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { deepFreeze } from "./freeze.js";
import type {
  TemplateTool,
  NormalizeContext,
  NormalizedRequest,
  OutputGrammar,
  SamplingParams,
  TemplateMessage,
  TemplateParams,
} from "./params.js";
import type { ParsedRequest } from "./request.js";
import { structuredSources, type StructuredSource } from "./structured-sources.js";
import type { StructuredOptions } from "./structured.js";
import type { ToolChoice } from "./tools.js";

/**
 * A validated request against the loaded model, with every default resolved in this one place: the
 * plan the engine carries out. Frozen: the engine reads it and never changes it.
 */
export function normalizeRequest(req: ParsedRequest, ctx: NormalizeContext): NormalizedRequest {
  rejectUnsupported(req);
  const model = resolveModel(req.model, ctx.models);
  const structured = structuredSources(req);
  const sampling = samplingParams(req, ctx, structured.options);
  const toolChoice = req.tool_choice ?? (req.tools?.length ? "auto" : "none");
  return deepFreeze({
    model,
    requestId: req.request_id ?? null,
    stream: req.stream ?? false,
    includeUsage: req.stream_options?.include_usage ?? false,
    continuousUsageStats: req.stream_options?.continuous_usage_stats ?? false,
    echo: req.echo ?? false,
    returnPromptText: req.return_prompt_text ?? false,
    priority: req.priority ?? 0,
    cacheSalt: req.cache_salt ?? null,
    toolChoice,
    parallelToolCalls: req.parallel_tool_calls ?? true,
    includeReasoning: req.include_reasoning ?? true,
    reasoningEffort: req.reasoning_effort ?? null,
    user: req.user ?? null,
    sampling,
    template: templateParams(req, ctx),
    grammar: outputGrammar(req, toolChoice, structured.source),
  });
}

/** The grammar output must follow: the structured-output constraint, or the calls tool_choice forces. */
function outputGrammar(req: ParsedRequest, toolChoice: ToolChoice, source: StructuredSource | null): OutputGrammar | null {
  if (toolChoice === "required" || typeof toolChoice === "object") {
    const named = typeof toolChoice === "object" ? toolChoice.function.name : null;
    const tools = (req.tools ?? []).filter((t) => named === null || t.function.name === named);
    return { kind: "tool_calls", tools, param: "tool_choice" };
  }
  return source && { kind: "constraint", constraint: source.constraint, param: source.param };
}

function resolveModel(named: string | null | undefined, models: readonly string[]): string {
  const model = requestedModel(named, models);
  if (model === undefined)
    throw new ApiError({
      type: "service_unavailable_error",
      message: "No model is loaded; load one with engine.load(id) first.",
      param: "model",
      code: "model_not_loaded",
    });
  if (!models.includes(model)) {
    throw new ApiError({
      type: "not_found_error",
      message: `The model "${model}" does not exist here.${didYouMean(model, models)} Available: ${models.map((m) => `"${m}"`).join(", ") || "none loaded"}.`,
      param: "model",
      code: "model_not_found",
    });
  }
  return model;
}

/** Fields of the spec that a page cannot honor: refused by name, never ignored. */
function rejectUnsupported(req: ParsedRequest): void {
  const no = (param: string, why: string) => {
    throw ApiError.invalid(param, why, "unsupported_parameter");
  };
  if (req.use_beam_search) no("use_beam_search", "Beam search is not supported by this engine; use n with sampling, or best_of.");
  if (req.length_penalty != null && req.length_penalty !== 1)
    no("length_penalty", "length_penalty only applies to beam search, which this engine does not support; remove it.");
  if (req.suffix != null)
    no("suffix", "suffix (fill-in-the-middle) is not part of chat completions; put the text in the messages.");
  if (req.prediction != null) no("prediction", "Predicted outputs are not supported by this engine; remove prediction.");
  if (req.audio != null) no("audio", "Audio output is not supported: the engine generates text only.");
  const other = req.modalities?.find((m) => m !== "text");
  if (other) no("modalities", `The modality "${other}" is not supported: the engine generates text only (modalities: ["text"]).`);
  if (req.kv_transfer_params && Object.keys(req.kv_transfer_params).length)
    no(
      "kv_transfer_params",
      "kv_transfer_params is for disaggregated serving across servers; an in-page engine has no KV transfer.",
    );
  if (req.mm_processor_kwargs && Object.keys(req.mm_processor_kwargs).length)
    no("mm_processor_kwargs", "mm_processor_kwargs needs a multimodal model; the loaded model reads text only.");
  if (req.media_io_kwargs && Object.keys(req.media_io_kwargs).length)
    no("media_io_kwargs", "media_io_kwargs configures media loading for multimodal models; the loaded model reads text only.");
  if (req.ec_transfer_params && Object.keys(req.ec_transfer_params).length)
    no(
      "ec_transfer_params",
      "ec_transfer_params is for encoder-cache disaggregated serving; an in-page engine has no encoder cache to transfer.",
    );
  if (req.watermarking) no("watermarking", "Output watermarking is not supported by this engine; remove watermarking.");
  if (req.thinking_token_budget != null && req.thinking_token_budget !== -1)
    no(
      "thinking_token_budget",
      "thinking_token_budget is not supported by this engine; bound the whole answer with max_tokens, or turn thinking off with chat_template_kwargs: {enable_thinking: false}.",
    );
  if (req.stream_interval != null && req.stream_interval > 1)
    no(
      "stream_interval",
      "stream_interval above 1 is not supported: the engine sends each token as it is made (in-page, a chunk costs no network round trip); join chunks on the page if needed.",
    );
  if (req.logprob_token_ids?.length)
    no("logprob_token_ids", "logprob_token_ids is not supported by this engine; ask for the top_logprobs (up to 20) instead.");
}

function samplingParams(req: ParsedRequest, ctx: NormalizeContext, structuredOptions: StructuredOptions): SamplingParams {
  const n = req.n ?? 1;
  const maxN = ctx.maxN ?? DEFAULT_LIMITS.maxN;
  if (n > maxN)
    throw ApiError.invalid("n", `n is ${n}; this engine generates at most ${maxN} choices per request (limits.maxN).`);
  // vLLM: greedy sampling gives n identical answers, so it refuses n > 1 there.
  if (n > 1 && req.temperature != null && req.temperature < 1e-5)
    throw ApiError.invalid(
      "n",
      `n must be 1 when using greedy sampling (temperature 0), got ${n}; raise temperature for distinct choices.`,
    );
  const bestOf = req.best_of ?? n;
  if (bestOf < n) throw ApiError.invalid("best_of", `best_of (${bestOf}) must be >= n (${n}).`);
  if (bestOf > maxN)
    throw ApiError.invalid(
      "best_of",
      `best_of is ${bestOf}; this engine generates at most ${maxN} candidates per request (limits.maxN).`,
    );
  if (bestOf > n && req.stream)
    throw ApiError.invalid("best_of", "best_of > n cannot be streamed: the best choices are known only at the end.");
  const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? null;
  if (maxTokens != null && maxTokens > ctx.contextWindow) {
    const param = req.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
    throw ApiError.invalid(
      param,
      `${param} is ${maxTokens}, more than the model's context window of ${ctx.contextWindow} tokens.`,
    );
  }
  const checkIds = (param: string, ids: readonly number[]) => {
    ids.forEach((id, i) => {
      if (id >= ctx.vocabSize)
        throw ApiError.invalid(`${param}.${i}`, `token id ${id} is outside the vocabulary (0 to ${ctx.vocabSize - 1}).`);
    });
  };
  const logitBias = new Map<number, number>();
  for (const [key, bias] of Object.entries(req.logit_bias ?? {})) {
    const id = Number(key);
    if (id >= ctx.vocabSize)
      throw ApiError.invalid(`logit_bias.${key}`, `token id ${id} is outside the vocabulary (0 to ${ctx.vocabSize - 1}).`);
    logitBias.set(id, bias);
  }
  checkIds("allowed_token_ids", req.allowed_token_ids ?? []);
  checkIds("stop_token_ids", req.stop_token_ids ?? []);
  const registered = ctx.logitsProcessors ?? [];
  const logitsProcessors = (req.logits_processors ?? []).map((p, i) => {
    const spec =
      typeof p === "string"
        ? { name: p, args: [], kwargs: {} }
        : { name: p.qualname, args: p.args ?? [], kwargs: p.kwargs ?? {} };
    if (!registered.includes(spec.name)) {
      throw ApiError.invalid(
        `logits_processors.${i}`,
        `No logits processor named "${spec.name}" is registered with the engine${registered.length ? ` (registered: ${registered.join(", ")})` : ""}; processors are functions, so they are registered in the engine's worker: exposeEngine({ logitsProcessors: { "${spec.name}": factory } }) from "webgpu-chat-engine/worker", in a worker passed to createEngine({ worker }).`,
      );
    }
    return spec;
  });
  const rd = req.repetition_detection;
  // Fields the request leaves unset take the model's generation_config.json values (vLLM's default).
  const d = ctx.samplingDefaults ?? {};
  const topK = req.top_k ?? d.top_k ?? 0;
  return {
    n,
    bestOf,
    maxTokens,
    minTokens: req.min_tokens ?? 0,
    temperature: req.temperature ?? d.temperature ?? 1,
    topP: req.top_p ?? d.top_p ?? 1,
    topK: topK <= 0 ? 0 : topK,
    minP: req.min_p ?? d.min_p ?? 0,
    seed: req.seed ?? null,
    presencePenalty: req.presence_penalty ?? 0,
    frequencyPenalty: req.frequency_penalty ?? 0,
    repetitionPenalty: req.repetition_penalty ?? d.repetition_penalty ?? 1,
    logitBias,
    allowedTokenIds: req.allowed_token_ids ?? null,
    badWords: req.bad_words ?? [],
    stop: req.stop == null ? [] : typeof req.stop === "string" ? [req.stop] : req.stop,
    stopTokenIds: req.stop_token_ids ?? [],
    includeStopStrInOutput: req.include_stop_str_in_output ?? false,
    ignoreEos: req.ignore_eos ?? false,
    logprobs: req.logprobs ? (req.top_logprobs ?? 0) : null,
    promptLogprobs: req.prompt_logprobs ?? null,
    returnTokensAsTokenIds: req.return_tokens_as_token_ids ?? false,
    returnTokenIds: req.return_token_ids ?? false,
    skipSpecialTokens: req.skip_special_tokens ?? true,
    spacesBetweenSpecialTokens: req.spaces_between_special_tokens ?? true,
    structuredOptions,
    repetitionDetection: rd
      ? { maxPatternSize: rd.max_pattern_size, minPatternSize: rd.min_pattern_size, minCount: rd.min_count }
      : null,
    logitsProcessors,
    extraArgs: req.vllm_xargs ?? {},
  };
}

/** Names the engine gives the chat template itself, so chat_template_kwargs may not set them. */
const TEMPLATE_VARIABLES = [
  "messages",
  "tools",
  "documents",
  "add_generation_prompt",
  "bos_token",
  "eos_token",
  "raise_exception",
  "range",
];

/**
 * Tools as vLLM hands them to the template: listed even under tool_choice "none" (vLLM's default),
 * a missing description as null (pydantic's dump of an unset field).
 */
function templateTools(req: ParsedRequest): TemplateTool[] | null {
  if (!req.tools?.length) return null;
  return req.tools.map((t) => {
    const { name, description, ...rest } = t.function;
    return { ...t, function: { name, description: description ?? null, ...rest } };
  });
}

function templateParams(req: ParsedRequest, ctx: NormalizeContext): TemplateParams {
  const truncate = req.truncate_prompt_tokens;
  if (truncate != null && truncate > ctx.contextWindow) {
    throw ApiError.invalid(
      "truncate_prompt_tokens",
      `truncate_prompt_tokens (${truncate}) is more than the context window (${ctx.contextWindow}); use -1 for the model's maximum.`,
    );
  }
  for (const key of Object.keys(req.chat_template_kwargs ?? {})) {
    if (TEMPLATE_VARIABLES.includes(key))
      throw ApiError.invalid(
        `chat_template_kwargs.${key}`,
        `chat_template_kwargs cannot set "${key}": the engine sets it from the request.`,
      );
  }
  const kwargs: Record<string, unknown> = { ...(req.chat_template_kwargs ?? {}) };
  if (req.reasoning_effort) {
    kwargs.reasoning_effort ??= req.reasoning_effort;
    kwargs.enable_thinking ??= true;
  }
  return {
    messages: keepMemory(req, templateMessages(req, ctx)),
    tools: templateTools(req),
    documents: req.documents ?? null,
    chatTemplate: req.chat_template ?? null,
    chatTemplateKwargs: kwargs,
    addGenerationPrompt: req.add_generation_prompt ?? !req.continue_final_message,
    continueFinalMessage: req.continue_final_message ?? false,
    addSpecialTokens: req.add_special_tokens ?? false,
    // 0 keeps everything, as vLLM's tokens[-0:] does; -1 is the model's maximum.
    truncateLeft: req.truncation_side !== "right",
    truncatePromptTokens: truncate == null || truncate === 0 ? null : truncate === -1 ? ctx.contextWindow : truncate,
  };
}

function templateMessages(req: ParsedRequest, ctx: NormalizeContext): TemplateMessage[] {
  const accepted = new Set(ctx.modalities ?? []);
  return req.messages.map((m, i): TemplateMessage => {
    let content: string | null;
    if (m.content == null || typeof m.content === "string") content = m.content ?? null;
    else {
      const texts: string[] = [];
      m.content.forEach((part, j) => {
        if (part.type === "text") texts.push(part.text);
        else if (part.type === "refusal") texts.push(part.refusal);
        else if (!accepted.has(part.type)) {
          throw ApiError.invalid(
            `messages.${i}.content.${j}`,
            `Content parts of type "${part.type}" are not supported by this model; it reads text only.`,
            "unsupported_content",
          );
        }
      });
      content = texts.join("\n");
    }
    const out: TemplateMessage = { role: m.role, content };
    if ("name" in m && m.name != null) out.name = m.name;
    if (m.role === "tool") out.tool_call_id = m.tool_call_id;
    if (m.role === "assistant") {
      const reasoning = m.reasoning_content ?? m.reasoning;
      if (reasoning != null) out.reasoning_content = reasoning;
      if (m.tool_calls?.length) {
        out.tool_calls = m.tool_calls.map((c, j) => ({
          id: c.id,
          type: "function",
          function: {
            name: c.function.name,
            arguments: parseArguments(c.function.arguments, `messages.${i}.tool_calls.${j}.function.arguments`),
          },
        }));
      }
    }
    return out;
  });
}

/** Templates format arguments as objects (as vLLM passes them); the API carries them as JSON text. */
function parseArguments(text: string, param: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw ApiError.invalid(param, `tool call arguments must be JSON text (${(e as Error).message}).`);
  }
}

/** memory_strategy last_k: leading system/developer messages plus the last k others, never opening on an orphan tool result. */
function keepMemory(req: ParsedRequest, messages: TemplateMessage[]): TemplateMessage[] {
  const k = req.memory_strategy?.value;
  if (k == null) return messages;
  let head = 0;
  while (head < messages.length && (messages[head]!.role === "system" || messages[head]!.role === "developer")) head++;
  let tail = messages.slice(head).slice(-k);
  while (tail.length > 1 && tail[0]!.role === "tool") tail = tail.slice(1);
  return [...messages.slice(0, head), ...tail];
}
