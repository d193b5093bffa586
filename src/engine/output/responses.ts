import type {
  ChatCompletion,
  ChatCompletionChunk,
  CompletionUsage,
  NormalizedRequest,
  PromptLogprobs,
  TokenLogprob,
  FinishReason,
} from "../../protocol/index.js";
import type { TemplateMessage } from "../../protocol/params.js";
import type { ChoiceOutput, OutputDelta } from "./choice-output.js";
import type { RunEvent } from "../decode/run.js";

export interface ResponseMeta {
  id: string;
  created: number;
  model: string;
  systemFingerprint: string;
  /** The answer's role: "assistant", or the last message's without a generation prompt (vLLM). */
  role: TemplateMessage["role"];
  prompt: Int32Array;
  /** The model has a reasoning format: usage counts reasoning_tokens (vLLM: null without a reasoning parser). */
  reasons: boolean;
  /**
   * include_reasoning: false on a model that reasons: logprobs and token ids are left out, as vLLM
   * does, since their token text would show the reasoning the request hid.
   */
  hidesTokens: boolean;
  /** The prompt as text, when return_prompt_text asks for it. */
  promptText: string | null;
  /** The text echo repeats at the start of each choice ("" when echo is off). */
  echo: string;
  /** A fresh reasoning / tool-call parser for each choice. */
  output: () => ChoiceOutput;
}

type ToolCallOut = { id: string; type: "function"; function: { name: string; arguments: string } };

interface ChoiceAcc {
  out: ChoiceOutput;
  text: string;
  reasoning: string;
  toolCalls: ToolCallOut[];
  logprobs: TokenLogprob[];
  tokenIds: number[];
  sumLogprob: number;
  reasoningTokens: number;
  inReasoning: boolean;
  finish: FinishReason;
  stopReason: string | number | null;
}

function usage(promptTokens: number, completion: number, cached: number, reasoning: number | null): CompletionUsage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
    prompt_tokens_details: { cached_tokens: cached },
    // vLLM sends null without a reasoning parser; the schema reads null as absent, so the type says undefined.
    completion_tokens_details: reasoning === null ? (null as unknown as undefined) : { reasoning_tokens: reasoning },
  };
}

/** A stream's usage: vLLM leaves completion_tokens_details out there instead of sending null. */
function streamUsage(promptTokens: number, completion: number, cached: number, reasoning: number | null): CompletionUsage {
  const u = usage(promptTokens, completion, cached, reasoning);
  if (u.completion_tokens_details == null) delete u.completion_tokens_details;
  return u;
}

/** Whether a token belongs to reasoning: it added reasoning, or added nothing while reasoning was last. */
function reasoningToken(d: OutputDelta, wasReasoning: boolean): boolean {
  return d.reasoning !== "" || (d.content === "" && d.toolCalls.length === 0 && wasReasoning);
}

/** Consume a run into one ChatCompletion (best_of: the n candidates with the best mean logprob). */
export async function collectCompletion(
  events: AsyncIterable<RunEvent>,
  req: NormalizedRequest,
  meta: ResponseMeta,
): Promise<ChatCompletion> {
  const choices: ChoiceAcc[] = [];
  let cached = 0;
  let promptLogprobs: PromptLogprobs | null = null;
  for await (const e of events) {
    if (e.type === "prompt") {
      cached = e.cachedTokens;
      promptLogprobs = e.promptLogprobs;
      continue;
    }
    const c = (choices[e.index] ??= {
      out: meta.output(),
      text: meta.echo,
      reasoning: "",
      toolCalls: [],
      logprobs: [],
      tokenIds: [],
      sumLogprob: 0,
      reasoningTokens: 0,
      inReasoning: false,
      finish: "abort",
      stopReason: null,
    });
    const ev = e.event;
    const d = c.out.push(ev.text);
    addDelta(c, d);
    if (ev.type === "token") {
      c.inReasoning = reasoningToken(d, c.inReasoning);
      if (c.inReasoning && !ev.endsOutput) c.reasoningTokens++;
      c.tokenIds.push(ev.tokenId);
      c.sumLogprob += ev.sampledLogprob;
      if (ev.logprob) c.logprobs.push(ev.logprob);
    } else {
      addDelta(c, c.out.finish());
      c.finish = finishReason(ev.reason, c.out);
      c.stopReason = ev.stopReason;
    }
  }
  const p = req.sampling;
  const completion = choices.reduce((a, c) => a + c.tokenIds.length, 0);
  let kept = choices;
  if (p.bestOf > p.n) {
    const mean = (c: ChoiceAcc) => (c.tokenIds.length ? c.sumLogprob / c.tokenIds.length : -Infinity);
    kept = [...choices].sort((a, b) => mean(b) - mean(a)).slice(0, p.n);
  }
  const out: ChatCompletion = {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: kept.map((c, index) => ({
      index,
      message: {
        role: answerRole(meta),
        content: messageContent(c, req),
        refusal: null,
        annotations: null,
        audio: null,
        function_call: null,
        ...(c.toolCalls.length && { tool_calls: c.toolCalls }),
        reasoning: null,
        ...(c.reasoning && req.includeReasoning && { reasoning_content: c.reasoning, reasoning: c.reasoning }),
      },
      logprobs: p.logprobs !== null && !meta.hidesTokens ? { content: c.logprobs, refusal: null } : null,
      finish_reason: c.finish,
      stop_reason: c.stopReason,
      token_ids: p.returnTokenIds && !meta.hidesTokens ? c.tokenIds : null,
      routed_experts: null,
    })),
    service_tier: null,
    system_fingerprint: meta.systemFingerprint,
    usage: usage(
      meta.prompt.length,
      completion,
      cached,
      meta.reasons ? choices.reduce((a, c) => a + c.reasoningTokens, 0) : null,
    ),
    // Every key vLLM 0.32 sends, null where this request asked for none of it.
    prompt_logprobs: promptLogprobs,
    prompt_token_ids: p.returnTokenIds ? Array.from(meta.prompt) : null,
    prompt_text: meta.promptText,
    kv_transfer_params: null,
    ec_transfer_params: null,
    metrics: null,
  };
  return out;
}

/**
 * Turn a run into OpenAI / vLLM stream chunks as vLLM 0.32 cuts them: the role first, then a chunk
 * per token that adds something to say (or any token when logprobs or token ids are asked for),
 * the last token riding with finish_reason, then the usage. system_fingerprint goes on the final
 * chunk only: the usage chunk when there is one, else each choice's finish chunk.
 */
export async function* streamChunks(
  events: AsyncIterable<RunEvent>,
  req: NormalizedRequest,
  meta: ResponseMeta,
): AsyncGenerator<ChatCompletionChunk> {
  const p = req.sampling;
  let cached = 0;
  let completion = 0;
  let first = true;
  const outputs = new Map<number, ChoiceOutput>();
  const reasoningAt = new Map<number, boolean>();
  let reasoningTokens = 0;
  // vLLM sends a token that adds nothing to say yet only when it has logprobs or ids to carry.
  const tokenIds = p.returnTokenIds && !meta.hidesTokens;
  const everyToken = (p.logprobs !== null && !meta.hidesTokens) || tokenIds;
  // Logprobs and token ids of tokens sent with no chunk of their own ride on the choice's next chunk.
  const pending = new Map<number, { logprobs: TokenLogprob[]; tokenIds: number[] }>();
  // What the last token said: it goes out with the finish.
  const lastDelta = new Map<number, OutputDelta>();
  const carried = (index: number) => {
    const c = pending.get(index) ?? { logprobs: [], tokenIds: [] };
    pending.delete(index);
    return {
      logprobs: c.logprobs.length && !meta.hidesTokens ? { content: c.logprobs, refusal: null } : null,
      ...(tokenIds && { token_ids: c.tokenIds }),
    };
  };
  const base = { id: meta.id, object: "chat.completion.chunk" as const, created: meta.created, model: meta.model };
  const chunk = (choice: ChatCompletionChunk["choices"][number] | null, final = false): ChatCompletionChunk => {
    const c: ChatCompletionChunk = { ...base, choices: choice ? [choice] : [] };
    if (final) c.system_fingerprint = meta.systemFingerprint;
    if (req.includeUsage)
      c.usage = req.continuousUsageStats
        ? streamUsage(meta.prompt.length, completion, cached, meta.reasons ? reasoningTokens : null)
        : null;
    // vLLM's keys on every chunk: the prompt's ids and text on the first only (when asked), else null.
    c.prompt_token_ids = first && p.returnTokenIds ? Array.from(meta.prompt) : null;
    c.prompt_text = first ? meta.promptText : null;
    for (const x of c.choices) x.token_ids ??= null;
    first = false;
    return c;
  };
  for await (const e of events) {
    if (e.type === "prompt") {
      cached = e.cachedTokens;
      continue;
    }
    const ev = e.event;
    const index = e.index;
    let out = outputs.get(index);
    if (!out) {
      out = meta.output();
      outputs.set(index, out);
      yield chunk({ index, delta: { role: answerRole(meta), content: "" }, logprobs: null, finish_reason: null });
      if (meta.echo) yield chunk({ index, delta: { content: meta.echo }, logprobs: null, finish_reason: null });
    }
    if (ev.type === "token") {
      completion++;
      const held = pending.get(index) ?? { logprobs: [], tokenIds: [] };
      pending.set(index, held);
      if (ev.logprob) held.logprobs.push(ev.logprob);
      held.tokenIds.push(ev.tokenId);
      const pushed = out.push(ev.text);
      const wasReasoning = reasoningAt.get(index) ?? false;
      reasoningAt.set(index, reasoningToken(pushed, wasReasoning));
      if (reasoningAt.get(index) && !ev.endsOutput) reasoningTokens++;
      if (ev.final) {
        lastDelta.set(index, pushed);
        continue;
      }
      const delta = deltaOf(pushed, req.includeReasoning) ?? (everyToken ? {} : null);
      if (delta) yield chunk({ index, delta, finish_reason: null, ...carried(index) });
    } else {
      const before = lastDelta.get(index) ?? { content: "", reasoning: "", toolCalls: [] };
      lastDelta.delete(index);
      const last = mergeDeltas(mergeDeltas(before, out.push(ev.text)), out.finish());
      const choice = {
        index,
        delta: deltaOf(last, req.includeReasoning) ?? {},
        finish_reason: finishReason(ev.reason, out),
        stop_reason: ev.stopReason,
        ...carried(index),
      };
      yield chunk(choice, !req.includeUsage);
    }
  }
  if (req.includeUsage)
    yield {
      ...base,
      choices: [],
      usage: streamUsage(meta.prompt.length, completion, cached, meta.reasons ? reasoningTokens : null),
      system_fingerprint: meta.systemFingerprint,
    };
}

/** The role as the response types name it ("assistant", as the openai SDK types it; see response.ts). */
const answerRole = (meta: ResponseMeta) => meta.role as "assistant";

/** A choice that made tool calls and stopped on its own finishes with "tool_calls". */
/** vLLM: a forced call (tool_choice required or named) always has string content; otherwise null when only calls or reasoning came. */
function messageContent(c: ChoiceAcc, req: NormalizedRequest): string | null {
  if (req.grammar?.kind === "tool_calls") return c.text;
  return (c.toolCalls.length || c.reasoning) && !c.text ? null : c.text;
}

function finishReason(reason: FinishReason, out: ChoiceOutput): FinishReason {
  return reason === "stop" && out.callCount > 0 ? "tool_calls" : reason;
}

function addDelta(c: ChoiceAcc, d: OutputDelta): void {
  c.text += d.content;
  c.reasoning += d.reasoning;
  for (const t of d.toolCalls) {
    if (t.id) c.toolCalls[t.index] = { id: t.id, type: "function", function: { name: t.function.name ?? "", arguments: "" } };
    c.toolCalls[t.index]!.function.arguments += t.function.arguments ?? "";
  }
}

function mergeDeltas(a: OutputDelta, b: OutputDelta): OutputDelta {
  return { content: a.content + b.content, reasoning: a.reasoning + b.reasoning, toolCalls: [...a.toolCalls, ...b.toolCalls] };
}

type Delta = ChatCompletionChunk["choices"][number]["delta"];

/** A stream delta (reasoning under both names), or null when the piece added nothing to send. */
function deltaOf(d: OutputDelta, includeReasoning: boolean): Delta | null {
  const delta: Delta = {};
  const reasoning = includeReasoning ? d.reasoning : "";
  if (d.content) delta.content = d.content;
  if (reasoning) Object.assign(delta, { reasoning_content: reasoning, reasoning });
  if (d.toolCalls.length) delta.tool_calls = d.toolCalls;
  return Object.keys(delta).length ? delta : null;
}
