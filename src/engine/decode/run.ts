import type { NormalizedRequest, PromptLogprobs } from "../../protocol/index.js";
import { generateChoice } from "./generate.js";
import type { ChoiceEvent } from "./token-step.js";
import { tokenNamer } from "../sampling/token-text.js";
import { promptLogprobs } from "../sampling/logprobs.js";
import type { LoadedModel } from "../model.js";
import type { LogitsProcessor } from "../sampling/processors.js";
import type { TokenConstraint } from "../structured/constraint.js";

export type RunEvent =
  | { type: "prompt"; cachedTokens: number; promptLogprobs: PromptLogprobs | null }
  | { type: "choice"; index: number; event: ChoiceEvent };

export interface RunOptions {
  model: LoadedModel;
  req: NormalizedRequest;
  prompt: Int32Array;
  signal: AbortSignal;
  contextWindow: number;
  /** The request's custom processors, made fresh for each choice (they may keep state). */
  processors: () => LogitsProcessor[];
  /** A fresh grammar matcher per choice, when the request is constrained. */
  constraint?: () => Promise<TokenConstraint>;
  /** The plan's skip_special_tokens, or false when a tool-call parser needs the special markers. */
  skipSpecialTokens: boolean;
}

/** All choices of a request, one after the other, on a model the caller holds the slot for. */
export async function* runRequest(o: RunOptions): AsyncGenerator<RunEvent> {
  const { model, req, prompt } = o;
  const p = req.sampling;
  const wantPromptLogprobs = p.promptLogprobs !== null;
  const first = await model.feeder.prefill(prompt, req.cacheSalt, wantPromptLogprobs);
  const V = model.runner.vocabSize;
  let firstLogits = first.logits;
  let plp: PromptLogprobs | null = null;
  if (wantPromptLogprobs) {
    plp = promptLogprobs(prompt, first.logits, V, p.promptLogprobs!, tokenNamer(model.tokenizer));
    firstLogits = first.logits.slice((prompt.length - 1) * V);
  }
  yield { type: "prompt", cachedTokens: first.reused, promptLogprobs: plp };

  const baseSeed = p.seed ?? randomSeed();
  const badWordIds = badWords(model, p.badWords);
  for (let i = 0; i < p.bestOf; i++) {
    if (i > 0) firstLogits = (await model.feeder.prefill(prompt, req.cacheSalt)).logits;
    const custom = o.processors();
    const constraint = await o.constraint?.();
    const choice = generateChoice({
      model,
      req,
      prompt,
      firstLogits,
      seed: baseSeed + i,
      signal: o.signal,
      badWordIds,
      constraint,
      custom,
      contextWindow: o.contextWindow,
      skipSpecialTokens: o.skipSpecialTokens,
    });
    try {
      for await (const event of choice) yield { type: "choice", index: i, event };
    } finally {
      constraint?.dispose();
    }
  }
}

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/** Each bad word as tokens, with and without a leading space (vLLM). */
function badWords(model: LoadedModel, words: readonly string[]): number[][] {
  const out = new Map<string, number[]>();
  for (const w of words) {
    for (const text of [w, " " + w.trimStart()]) {
      const ids = Array.from(model.tokenizer.encode(text));
      if (ids.length) out.set(ids.join(","), ids);
    }
  }
  return [...out.values()];
}
