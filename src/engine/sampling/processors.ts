import type { SamplingParams } from "../../protocol/index.js";

/** What a processor may look at: the prompt and what this choice generated so far. */
export interface ProcessorState {
  readonly promptTokens: Int32Array;
  readonly outputTokens: readonly number[];
}

/** Changes logits in place before sampling. */
export type LogitsProcessor = (logits: Float32Array, state: ProcessorState) => void;

/**
 * Makes a processor for one choice from a request's `logits_processors` entry. Registered by name in
 * the worker (exposeEngine in src/worker/expose.ts); a factory that throws refuses the request.
 */
export type LogitsProcessorFactory = (opts: {
  args: readonly unknown[];
  kwargs: Readonly<Record<string, unknown>>;
  extraArgs: SamplingParams["extraArgs"];
}) => LogitsProcessor;

export interface ProcessorContext {
  /** Token ids that end generation (model EOS). */
  eosIds: readonly number[];
  /** Each bad word as token sequences (with and without a leading space). */
  badWordIds: readonly (readonly number[])[];
  custom?: readonly LogitsProcessor[];
}

/** The chain in vLLM's order. Built once per choice; each processor keeps its own incremental state. */
export function buildProcessors(p: SamplingParams, ctx: ProcessorContext): LogitsProcessor[] {
  const chain: LogitsProcessor[] = [];
  if (p.allowedTokenIds) chain.push(allowedTokens(p.allowedTokenIds));
  if (ctx.badWordIds.length) chain.push(badWords(ctx.badWordIds));
  if (p.logitBias.size) chain.push(logitBias(p.logitBias));
  if (p.minTokens > 0) chain.push(minTokens(p.minTokens, [...ctx.eosIds, ...p.stopTokenIds]));
  if (p.repetitionPenalty !== 1) chain.push(repetitionPenalty(p.repetitionPenalty));
  if (p.frequencyPenalty !== 0 || p.presencePenalty !== 0) chain.push(additivePenalties(p.frequencyPenalty, p.presencePenalty));
  chain.push(...(ctx.custom ?? []));
  return chain;
}

function allowedTokens(ids: readonly number[]): LogitsProcessor {
  const allowed = new Set(ids);
  return (logits) => {
    for (let i = 0; i < logits.length; i++) if (!allowed.has(i)) logits[i] = -Infinity;
  };
}

/** A one-token bad word is always banned; a longer one bans its last token after its prefix. */
function badWords(words: readonly (readonly number[])[]): LogitsProcessor {
  return (logits, { outputTokens }) => {
    for (const w of words) {
      const prefix = w.length - 1;
      if (prefix > outputTokens.length) continue;
      let match = true;
      for (let j = 0; j < prefix && match; j++) match = outputTokens[outputTokens.length - prefix + j] === w[j];
      if (match) logits[w[prefix]!] = -Infinity;
    }
  };
}

function logitBias(bias: ReadonlyMap<number, number>): LogitsProcessor {
  return (logits) => {
    for (const [id, b] of bias) logits[id] = logits[id]! + b;
  };
}

function minTokens(min: number, ids: readonly number[]): LogitsProcessor {
  return (logits, { outputTokens }) => {
    if (outputTokens.length < min) for (const id of ids) logits[id] = -Infinity;
  };
}

/** vLLM/CTRL: divide positive logits, multiply negative ones, for tokens seen in prompt or output. */
function repetitionPenalty(penalty: number): LogitsProcessor {
  let seen: Set<number> | null = null;
  let counted = 0;
  return (logits, { promptTokens, outputTokens }) => {
    seen ??= new Set(promptTokens);
    for (; counted < outputTokens.length; counted++) seen.add(outputTokens[counted]!);
    for (const i of seen) logits[i] = logits[i]! > 0 ? logits[i]! / penalty : logits[i]! * penalty;
  };
}

/** OpenAI: logit -= frequency * count + presence * (count > 0), over generated tokens only. */
function additivePenalties(frequency: number, presence: number): LogitsProcessor {
  const counts = new Map<number, number>();
  let counted = 0;
  return (logits, { outputTokens }) => {
    for (; counted < outputTokens.length; counted++) {
      const t = outputTokens[counted]!;
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    for (const [t, c] of counts) logits[t] = logits[t]! - frequency * c - presence;
  };
}
