import type { SamplingParams } from "../../protocol/params.js";
import type { FinishReason, TokenLogprob } from "../../protocol/response.js";
import { nothingToSample } from "../../protocol/plan-errors.js";
import { distribution, logprobOf, newBands, softmaxKernel, type Distribution } from "../sampling/distribution.js";
import { tokenLogprob, type TokenNamer } from "../sampling/logprobs.js";
import { tokenNamer } from "../sampling/token-text.js";
import { buildProcessors, type LogitsProcessor } from "../sampling/processors.js";
import { Prng } from "../sampling/prng.js";
import { GREEDY_EPS, sampleToken } from "../sampling/sampler.js";
import { argmax } from "../sampling/select.js";
import type { TokenConstraint } from "../structured/constraint.js";
import { lazyPick } from "../structured/lazy-pick.js";
import { IncrementalDetokenizer, type TokenVocabulary } from "./detokenizer.js";
import { endsInRepetition } from "./repetition.js";
import { StopStringMatcher } from "./stop-strings.js";

export type TokenEvent = {
  type: "token";
  tokenId: number;
  text: string;
  logprob: TokenLogprob | null;
  sampledLogprob: number;
  /** The finish event follows at once: a stream sends this token with it, in one chunk (as vLLM does). */
  final: boolean;
  /** The token ended the output (EOS or a stop id): no parser reads it, so it is no reasoning token. */
  endsOutput: boolean;
};
export type FinishEvent = { type: "finish"; text: string; reason: FinishReason; stopReason: string | number | null };
export type ChoiceEvent = TokenEvent | FinishEvent;

export interface StepSetup {
  sampling: Readonly<SamplingParams>;
  vocab: TokenVocabulary;
  /** Ids that end generation unless ignore_eos. */
  eosIds: readonly number[];
  /** The tokenizer's own EOS: it stops with stop_reason null; the other eosIds name themselves (vLLM). */
  eosTokenId: number | null;
  promptTokens: Int32Array;
  seed: number;
  /** Each bad word as token sequences (with and without a leading space). */
  badWordIds: readonly (readonly number[])[];
  /** Grammar the choice must follow (structured outputs, forced tool calls). */
  constraint?: TokenConstraint;
  custom?: readonly LogitsProcessor[];
  /** Most tokens to generate: max_tokens, capped by the room left in the context window. */
  maxTokens: number;
  /** The plan's skip_special_tokens, unless the engine keeps special tokens for a tool-call parser. */
  skipSpecialTokens: boolean;
}

/**
 * One choice's pick, token by token, with no I/O: processors -> sampler -> logprobs ->
 * detokenizer -> stop rules. generate.ts feeds it the model's logits; the unit tests and the
 * bench run this same code in Node.
 */
export class TokenStep {
  private readonly p: Readonly<SamplingParams>;
  private readonly rng: Prng;
  private readonly output: number[] = [];
  private readonly state: { promptTokens: Int32Array; outputTokens: number[] };
  private readonly processors: LogitsProcessor[];
  private readonly grammar: TokenConstraint | undefined;
  /** The grammar when checking the picked token can stand in for masking first (see lazyPick). */
  private readonly lazy: TokenConstraint | null;
  private readonly detok: IncrementalDetokenizer;
  private readonly stops: StopStringMatcher;
  private readonly names: TokenNamer;
  private readonly eos: Set<number>;
  private readonly eosTokenId: number | null;
  private readonly stopIds: Set<number>;
  private readonly greedy: boolean;
  private readonly needDist: boolean;
  private vocab = 0;
  private work = new Float32Array(0);
  private bands: ReturnType<typeof newBands> | undefined;
  readonly maxTokens: number;

  constructor(s: StepSetup) {
    const p = (this.p = s.sampling);
    this.rng = new Prng(s.seed);
    this.state = { promptTokens: s.promptTokens, outputTokens: this.output };
    this.processors = buildProcessors(p, { eosIds: s.eosIds, badWordIds: s.badWordIds, custom: s.custom });
    this.grammar = s.constraint;
    this.detok = new IncrementalDetokenizer(s.vocab, {
      skipSpecialTokens: s.skipSpecialTokens,
      spacesBetweenSpecialTokens: p.spacesBetweenSpecialTokens,
    });
    this.stops = new StopStringMatcher(p.stop, p.includeStopStrInOutput);
    this.names = tokenNamer(s.vocab);
    this.eos = new Set(s.eosIds);
    this.eosTokenId = s.eosTokenId;
    this.stopIds = new Set(p.stopTokenIds);
    this.maxTokens = s.maxTokens;
    this.greedy = p.temperature < GREEDY_EPS;
    this.needDist = !this.greedy || p.logprobs !== null || p.bestOf > p.n;
    const truncates = p.topK > 0 || p.topP < 1 || p.minP > 0;
    const lazyOk = !s.custom?.length && p.logprobs === null && p.bestOf === p.n && (this.greedy || !truncates);
    this.lazy = this.grammar && lazyOk ? this.grammar : null;
  }

  /** Pick the next token from the model's logits (left unchanged); `finish` is set when a stop rule fired. */
  async next(logits: Float32Array): Promise<{ event: TokenEvent; finish: FinishEvent | null }> {
    const p = this.p;
    const work = this.buffers(logits.length);
    work.set(logits);
    if (this.grammar && !this.lazy) await this.grammar.mask(work);
    for (const proc of this.processors) proc(work, this.state);
    let d: Distribution | null = null;
    const pick = () => {
      // Greedy logprobs are of the unscaled distribution (temperature 0 counts as 1).
      d = this.needDist ? distribution(work, this.greedy ? 1 : p.temperature, null, this.bands) : null;
      return this.greedy ? argmax(work) : sampleToken(work, d!, p, this.rng);
    };
    let token: number;
    if (this.lazy) {
      token = await lazyPick(work, this.lazy, pick);
    } else {
      token = pick();
      if (work[token] === -Infinity) throw nothingToSample();
      this.grammar?.accept(token);
    }
    this.output.push(token);
    const dist = d as Distribution | null;
    const logprob =
      p.logprobs !== null
        ? tokenLogprob(work, dist!, token, p.logprobs, this.names, p.returnTokensAsTokenIds, this.output.slice(-5, -1))
        : null;
    const sampledLogprob = dist ? logprobOf(work, dist, token) : 0;

    const endsOnToken = (!p.ignoreEos && this.eos.has(token)) || this.stopIds.has(token);
    const piece = endsOnToken && !p.includeStopStrInOutput ? "" : this.detok.push(token);
    const { emit, stop } = this.stops.push(piece);
    const finish = this.stopRule(token, stop, endsOnToken);
    const final = finish !== null;
    const event: TokenEvent = {
      type: "token",
      tokenId: token,
      text: emit,
      logprob,
      sampledLogprob,
      final,
      endsOutput: endsOnToken,
    };
    return { event, finish };
  }

  /** The finish event, with any text still held back (a partial stop string, an incomplete character). */
  finish(reason: FinishReason, stopReason: string | number | null): FinishEvent {
    const matchedStopString = reason === "stop" && typeof stopReason === "string";
    const rest = matchedStopString ? "" : this.stops.push(this.detok.flush()).emit + this.stops.finish();
    return { type: "finish", text: rest, reason, stopReason };
  }

  private stopRule(token: number, stop: string | null, endsOnToken: boolean): FinishEvent | null {
    const p = this.p;
    if (stop !== null) return this.finish("stop", stop);
    // vLLM: generation_config's extra EOS ids join stop_token_ids, so only the tokenizer's EOS says null.
    if (endsOnToken) return this.finish("stop", !p.ignoreEos && token === this.eosTokenId ? null : token);
    if (this.grammar?.terminated) return this.finish("stop", null);
    if (p.repetitionDetection && endsInRepetition(this.output, p.repetitionDetection)) return this.finish("stop", null);
    if (this.output.length >= this.maxTokens) return this.finish("length", null);
    return null;
  }

  /**
   * Scratch buffers sized to the logits (allocated on the first step). Without a grammar, whose
   * mask is awaited, the step runs through from copying the logits in to the last read of them,
   * so it processes them in the softmax kernel's own input array and the kernel need not copy them.
   */
  private buffers(vocab: number): Float32Array {
    if (this.vocab !== vocab) {
      this.vocab = vocab;
      if (this.grammar) this.work = new Float32Array(vocab);
      const p = this.p;
      this.bands = (!this.greedy && p.topP < 1 && p.topK === 0) || (p.logprobs ?? 0) > 0 ? newBands(vocab) : undefined;
    }
    return this.grammar ? this.work : softmaxKernel.input(vocab);
  }
}
