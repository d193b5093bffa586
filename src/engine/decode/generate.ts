import type { NormalizedRequest } from "../../protocol/index.js";
import type { LoadedModel } from "../model.js";
import type { LogitsProcessor } from "../sampling/processors.js";
import type { TokenConstraint } from "../structured/constraint.js";
import { Yielder } from "../schedule/yield.js";
import { TokenStep, type ChoiceEvent } from "./token-step.js";

export interface ChoiceSetup {
  model: LoadedModel;
  req: NormalizedRequest;
  prompt: Int32Array;
  /** Logits of the prompt's last position (the prompt is already in the runner's cache). */
  firstLogits: Float32Array;
  seed: number;
  signal: AbortSignal;
  badWordIds: number[][];
  /** Grammar the choice must follow (structured outputs, forced tool calls). */
  constraint?: TokenConstraint;
  custom?: LogitsProcessor[];
  contextWindow: number;
  /** The plan's skip_special_tokens, or false when a tool-call parser needs the special markers. */
  skipSpecialTokens: boolean;
}

/** Work between two turns of the worker's event loop (where cancels and the page's answers arrive), at most. */
const YIELD_MS = 4;

/** One choice: the per-token step (token-step.ts) fed by the model, with abort and a yield every YIELD_MS. */
export async function* generateChoice(s: ChoiceSetup): AsyncGenerator<ChoiceEvent> {
  const { model, prompt, signal } = s;
  const room = s.contextWindow - prompt.length;
  const step = new TokenStep({
    sampling: s.req.sampling,
    vocab: model.tokenizer,
    eosIds: model.eosIds,
    eosTokenId: model.eosTokenId,
    promptTokens: prompt,
    seed: s.seed,
    badWordIds: s.badWordIds,
    constraint: s.constraint,
    custom: s.custom,
    maxTokens: Math.min(s.req.sampling.maxTokens ?? room, room),
    skipSpecialTokens: s.skipSpecialTokens,
  });
  if (step.maxTokens <= 0) return void (yield step.finish("length", null));
  let logits = s.firstLogits;
  const turns = new Yielder(YIELD_MS);
  for (;;) {
    await turns.maybe();
    if (signal.aborted) return void (yield step.finish("abort", null));
    const { event, finish } = await step.next(logits);
    yield event;
    if (finish) return void (yield finish);
    logits = await model.feeder.feed(Int32Array.of(event.tokenId));
  }
}
