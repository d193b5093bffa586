import type { ChatCompletion, ChatCompletionChunk, CompletionUsage, NormalizedRequest, PromptLogprobs, TokenLogprob, FinishReason } from "../protocol/index.js";
import type { RunEvent } from "./run.js";

export interface ResponseMeta {
  id: string;
  created: number;
  model: string;
  systemFingerprint: string;
  prompt: Int32Array;
  /** The text echo repeats at the start of each choice ("" when echo is off). */
  echo: string;
}

interface ChoiceAcc {
  text: string;
  logprobs: TokenLogprob[];
  tokenIds: number[];
  sumLogprob: number;
  finish: FinishReason;
  stopReason: string | number | null;
}

function usage(promptTokens: number, completion: number, cached: number): CompletionUsage {
  return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion, prompt_tokens_details: { cached_tokens: cached } };
}

/** Consume a run into one ChatCompletion (best_of: the n candidates with the best mean logprob). */
export async function collectCompletion(events: AsyncIterable<RunEvent>, req: NormalizedRequest, meta: ResponseMeta): Promise<ChatCompletion> {
  const choices: ChoiceAcc[] = [];
  let cached = 0;
  let promptLogprobs: PromptLogprobs | null = null;
  for await (const e of events) {
    if (e.type === "prompt") {
      cached = e.cachedTokens;
      promptLogprobs = e.promptLogprobs;
      continue;
    }
    const c = (choices[e.index] ??= { text: meta.echo, logprobs: [], tokenIds: [], sumLogprob: 0, finish: "abort", stopReason: null });
    const ev = e.event;
    c.text += ev.text;
    if (ev.type === "token") {
      c.tokenIds.push(ev.tokenId);
      c.sumLogprob += ev.sampledLogprob;
      if (ev.logprob) c.logprobs.push(ev.logprob);
    } else {
      c.finish = ev.reason;
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
      message: { role: "assistant", content: c.text, refusal: null },
      logprobs: p.logprobs !== null ? { content: c.logprobs, refusal: null } : null,
      finish_reason: c.finish,
      stop_reason: c.stopReason,
      ...(p.returnTokenIds && { token_ids: c.tokenIds }),
    })),
    usage: usage(meta.prompt.length, completion, cached),
    system_fingerprint: meta.systemFingerprint,
  };
  if (promptLogprobs) out.prompt_logprobs = promptLogprobs;
  if (p.returnTokenIds) out.prompt_token_ids = Array.from(meta.prompt);
  return out;
}

/** Turn a run into OpenAI / vLLM stream chunks: role first, a chunk per token, finish, usage. */
export async function* streamChunks(events: AsyncIterable<RunEvent>, req: NormalizedRequest, meta: ResponseMeta): AsyncGenerator<ChatCompletionChunk> {
  const p = req.sampling;
  let cached = 0;
  let completion = 0;
  let first = true;
  const started = new Set<number>();
  const base = { id: meta.id, object: "chat.completion.chunk" as const, created: meta.created, model: meta.model, system_fingerprint: meta.systemFingerprint };
  const chunk = (choice: ChatCompletionChunk["choices"][number] | null): ChatCompletionChunk => {
    const c: ChatCompletionChunk = { ...base, choices: choice ? [choice] : [] };
    if (req.includeUsage) c.usage = req.continuousUsageStats ? usage(meta.prompt.length, completion, cached) : null;
    if (first && p.returnTokenIds) c.prompt_token_ids = Array.from(meta.prompt);
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
    if (!started.has(index)) {
      started.add(index);
      yield chunk({ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null });
      if (meta.echo) yield chunk({ index, delta: { content: meta.echo }, logprobs: null, finish_reason: null });
    }
    if (ev.type === "token") {
      completion++;
      yield chunk({
        index,
        delta: { content: ev.text },
        logprobs: ev.logprob ? { content: [ev.logprob], refusal: null } : null,
        finish_reason: null,
        ...(p.returnTokenIds && { token_ids: [ev.tokenId] }),
      });
    } else {
      yield chunk({ index, delta: { content: ev.text }, logprobs: null, finish_reason: ev.reason, stop_reason: ev.stopReason, ...(p.returnTokenIds && { token_ids: [] }) });
    }
  }
  if (req.includeUsage) yield { ...base, choices: [], usage: usage(meta.prompt.length, completion, cached) };
}
