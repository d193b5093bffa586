import type { FinishReason, NormalizedRequest, TokenLogprob } from "../../protocol/index.js";
import { IncrementalDetokenizer } from "./detokenizer.js";
import { distribution, logprobOf, newBands, nothingToSample } from "../sampling/distribution.js";
import { tokenLogprob, type TokenNamer } from "../sampling/logprobs.js";
import type { LoadedModel } from "../model.js";
import { buildProcessors, type LogitsProcessor } from "../sampling/processors.js";
import { Prng } from "../sampling/prng.js";
import { endsInRepetition } from "./repetition.js";
import { GREEDY_EPS, sampleToken } from "../sampling/sampler.js";
import { argmax } from "../sampling/select.js";
import { StopStringMatcher } from "./stop-strings.js";
import type { TokenConstraint } from "../structured/constraint.js";
import { lazyPick } from "../structured/lazy-pick.js";
import { yieldToEventLoop } from "../schedule/yield.js";

export type ChoiceEvent =
  | { type: "token"; tokenId: number; text: string; logprob: TokenLogprob | null; sampledLogprob: number }
  | { type: "finish"; text: string; reason: FinishReason; stopReason: string | number | null };

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
}

/** One choice, token by token: processors, sampler, logprobs, detokenizer and every stop rule. */
export async function* generateChoice(s: ChoiceSetup): AsyncGenerator<ChoiceEvent> {
  const { model, req, prompt, signal } = s;
  const p = req.sampling;
  const tok = model.tokenizer;
  const rng = new Prng(s.seed);
  const output: number[] = [];
  const state = { promptTokens: prompt, outputTokens: output };
  const processors = buildProcessors(p, { eosIds: model.eosIds, badWordIds: s.badWordIds, custom: s.custom });
  const grammar = s.constraint;
  const detok = new IncrementalDetokenizer(tok, {
    skipSpecialTokens: p.skipSpecialTokens,
    spacesBetweenSpecialTokens: p.spacesBetweenSpecialTokens,
  });
  const stops = new StopStringMatcher(p.stop, p.includeStopStrInOutput);
  const names = tokenNamer(model);
  const eos = new Set(model.eosIds);
  const stopIds = new Set(p.stopTokenIds);
  const room = s.contextWindow - prompt.length;
  const maxTokens = Math.min(p.maxTokens ?? room, room);
  const work = new Float32Array(s.firstLogits.length);
  const weights = new Float32Array(s.firstLogits.length);
  const greedy = p.temperature < GREEDY_EPS;
  // Bands serve top_p's nucleus and the top_logprobs selection (logprobs.ts).
  const bands = (!greedy && p.topP < 1 && p.topK === 0) || (p.logprobs ?? 0) > 0 ? newBands(weights.length) : undefined;
  const needDist = !greedy || p.logprobs !== null || p.bestOf > p.n;
  // See lazyPick for when checking the picked token can stand in for masking first.
  const truncates = p.topK > 0 || p.topP < 1 || p.minP > 0;
  const lazy = grammar && !s.custom?.length && p.logprobs === null && p.bestOf === p.n && (greedy || !truncates) ? grammar : null;
  let logits = s.firstLogits;

  const finish = (reason: FinishReason, stopReason: string | number | null, text = ""): ChoiceEvent => ({
    type: "finish",
    text: text + (reason === "stop" && typeof stopReason === "string" ? "" : stops.push(detok.flush()).emit + stops.finish()),
    reason,
    stopReason,
  });

  if (maxTokens <= 0) {
    yield finish("length", null);
    return;
  }
  for (;;) {
    await yieldToEventLoop();
    if (signal.aborted) {
      yield finish("abort", null);
      return;
    }
    work.set(logits);
    if (grammar && !lazy) await grammar.mask(work);
    for (const proc of processors) proc(work, state);
    let d: ReturnType<typeof distribution> | null = null;
    const pick = () => {
      // Greedy logprobs are of the unscaled distribution (temperature 0 counts as 1).
      d = needDist ? distribution(work, greedy ? 1 : p.temperature, weights, bands) : null;
      return greedy ? argmax(work) : sampleToken(work, d!, p, rng);
    };
    let token: number;
    if (lazy) {
      token = await lazyPick(work, lazy, pick);
    } else {
      token = pick();
      if (work[token] === -Infinity) throw nothingToSample();
      grammar?.accept(token);
    }
    output.push(token);
    const logprob = p.logprobs !== null ? tokenLogprob(work, d!, token, p.logprobs, names, p.returnTokensAsTokenIds) : null;
    const sampledLogprob = d ? logprobOf(work, d, token) : 0;

    const endsOnToken = (!p.ignoreEos && eos.has(token)) || stopIds.has(token);
    const piece = endsOnToken && !p.includeStopStrInOutput ? "" : detok.push(token);
    const { emit, stop } = stops.push(piece);
    yield { type: "token", tokenId: token, text: emit, logprob, sampledLogprob };

    if (stop !== null) return void (yield finish("stop", stop));
    if (endsOnToken) return void (yield finish("stop", stopIds.has(token) && !eos.has(token) ? token : null));
    if (grammar?.terminated) return void (yield finish("stop", null));
    if (p.repetitionDetection && endsInRepetition(output, p.repetitionDetection)) return void (yield finish("stop", null));
    if (output.length >= maxTokens) return void (yield finish("length", null));
    logits = await model.feeder.feed(Int32Array.of(token));
  }
}

function tokenNamer(model: LoadedModel): TokenNamer {
  const lossy = new TextDecoder("utf-8", { fatal: false });
  return {
    text: (id) => lossy.decode(model.tokenizer.tokenBytes[id]),
    bytes: (id) => Array.from(model.tokenizer.tokenBytes[id] ?? []),
  };
}

export { tokenNamer };
