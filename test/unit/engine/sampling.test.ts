import { describe, expect, it } from "vitest";
import { Prng } from "../../../src/engine/sampling/prng.js";
import { endsInRepetition } from "../../../src/engine/decode/repetition.js";
import { TokenStep, type StepSetup } from "../../../src/engine/decode/token-step.js";
import { topKIndices } from "../../../src/engine/sampling/select.js";
import { StopStringMatcher } from "../../../src/engine/decode/stop-strings.js";
import { normalizeRequest, validateRequest } from "../../../src/protocol/index.js";

const logitsOf = (probs: number[]) => Float32Array.from(probs, (p) => (p > 0 ? Math.log(p) : -Infinity));
const params = { temperature: 1, top_k: 0, top_p: 1, min_p: 0 };
const textVocab = (n: number) => ({
  tokenBytes: Array.from({ length: n }, (_, i) => new TextEncoder().encode(String.fromCharCode(97 + (i % 26)))),
  specialIds: new Set<number>(),
});

/** The engine's own per-token step over a small vocabulary ("a", "b", ...), from request fields. */
function step(body: Record<string, unknown>, vocabSize: number, setup: Partial<StepSetup> = {}): TokenStep {
  const req = normalizeRequest(validateRequest({ messages: [{ role: "user", content: "x" }], ...body }), {
    models: ["m"],
    contextWindow: 1_000_000,
    vocabSize,
  });
  return new TokenStep({
    sampling: req.sampling,
    vocab: textVocab(vocabSize),
    eosIds: [],
    eosTokenId: null,
    promptTokens: Int32Array.of(0),
    seed: 1,
    badWordIds: [],
    maxTokens: Number.MAX_SAFE_INTEGER,
    skipSpecialTokens: true,
    ...setup,
  });
}

async function draws(logits: Float32Array, body: Record<string, unknown>, n: number, seed = 1): Promise<number[]> {
  const s = step(body, logits.length, { seed });
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await s.next(logits)).event.tokenId);
  return out;
}

async function frequencies(logits: Float32Array, body: Record<string, unknown>, n = 20000): Promise<number[]> {
  const counts = new Array(logits.length).fill(0);
  for (const t of await draws(logits, body, n)) counts[t]++;
  return counts.map((c) => c / n);
}

describe("sampler (the engine's TokenStep)", () => {
  const probs = [0.05, 0.4, 0.3, 0.15, 0.1];
  const allowed = async (body: Record<string, unknown>) => (await frequencies(logitsOf(probs), body)).map((f) => f > 0);

  it("draws in proportion to the probabilities", async () => {
    (await frequencies(logitsOf(probs), params)).forEach((f, i) => expect(Math.abs(f - probs[i]!)).toBeLessThan(0.015));
  });

  it("top_p keeps the smallest head reaching p, renormalised", async () => {
    const f = await frequencies(logitsOf(probs), { ...params, top_p: 0.65 });
    expect(f.map((x) => x > 0)).toEqual([false, true, true, false, false]);
    expect(Math.abs(f[1]! - 0.4 / 0.7)).toBeLessThan(0.015);
    expect(await allowed({ ...params, top_p: 0.75 })).toEqual([false, true, true, true, false]);
    expect(await allowed({ ...params, top_p: 0.75, top_k: 2 })).toEqual([false, true, true, false, false]);
  });

  it("top_k and min_p cut the tail; temperature 0 is argmax with ties to the lowest id", async () => {
    expect(await allowed({ ...params, top_k: 2 })).toEqual([false, true, true, false, false]);
    expect(await allowed({ ...params, min_p: 0.5 })).toEqual([false, true, true, false, false]);
    expect(await draws(Float32Array.of(1, 3, 3, 2), { temperature: 0 }, 3)).toEqual([1, 1, 1]);
  });

  it("top_p over a 151936-token vocabulary matches a full sort", async () => {
    const rng = new Prng(5);
    const logits = Float32Array.from({ length: 151936 }, () => rng.normal() * 3);
    const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]! || a - b);
    const max = logits[order[0]!]!;
    const w = order.map((i) => Math.exp(logits[i]! - max));
    const total = w.reduce((a, b) => a + b, 0);
    let acc = 0;
    let n = 0;
    while (acc < 0.9 * total) acc += w[n++]!;
    const inHead = new Set(order.slice(0, n));
    for (const t of await draws(logits, { ...params, top_p: 0.9 }, 200, 9)) expect(inHead.has(t)).toBe(true);
  });

  it("same seed, same stream", async () => {
    const l = logitsOf(probs);
    expect(await draws(l, params, 50, 42)).toEqual(await draws(l, params, 50, 42));
  });
});

describe("TokenStep stop rules and processors", () => {
  const flat = new Float32Array(5); // uniform: every token equally likely
  const peaked = (id: number) => Float32Array.from({ length: 5 }, (_, i) => (i === id ? 10 : 0));

  it("EOS stops with no stop_reason; a stop_token_id stops naming the id; ignore_eos goes on", async () => {
    const eos = step({ temperature: 0 }, 5, { eosIds: [2], eosTokenId: 2 });
    expect((await eos.next(peaked(2))).finish).toMatchObject({ reason: "stop", stopReason: null, text: "" });
    const byId = step({ temperature: 0, stop_token_ids: [3] }, 5);
    expect((await byId.next(peaked(3))).finish).toMatchObject({ reason: "stop", stopReason: 3 });
    const ignoring = step({ temperature: 0, ignore_eos: true }, 5, { eosIds: [2], eosTokenId: 2 });
    expect((await ignoring.next(peaked(2))).finish).toBeNull();
  });

  it("an extra EOS id (generation_config's) stops naming itself, as vLLM's stop_token_ids do; only the tokenizer's EOS says null", async () => {
    const extra = step({ temperature: 0 }, 5, { eosIds: [2, 4], eosTokenId: 2 });
    expect((await extra.next(peaked(4))).finish).toMatchObject({ reason: "stop", stopReason: 4 });
    // ignore_eos drops the EOS rules, but a stop_token_ids entry still stops, naming even the EOS id.
    const ignoring = step({ temperature: 0, ignore_eos: true, stop_token_ids: [2] }, 5, { eosIds: [2, 4], eosTokenId: 2 });
    expect((await ignoring.next(peaked(4))).finish).toBeNull();
    expect((await ignoring.next(peaked(2))).finish).toMatchObject({ reason: "stop", stopReason: 2 });
  });

  it("a stop string split across tokens ends the text before it; max_tokens ends with length", async () => {
    const s = step({ temperature: 0, stop: ["cd"] }, 5);
    const texts: string[] = [];
    let end = null;
    for (const id of [0, 2, 3]) {
      const r = await s.next(peaked(id));
      texts.push(r.event.text);
      end = r.finish;
    }
    expect(texts.join("") + end!.text).toBe("a");
    expect(end).toMatchObject({ reason: "stop", stopReason: "cd" });
    const short = step({ temperature: 0 }, 5, { maxTokens: 2 });
    expect((await short.next(flat)).finish).toBeNull();
    expect((await short.next(flat)).finish).toMatchObject({ reason: "length" });
  });

  it("min_tokens bans EOS until reached; logit_bias moves the greedy pick; logprobs come from the same step", async () => {
    const s = step({ temperature: 0, min_tokens: 2 }, 5, { eosIds: [1] });
    expect((await s.next(peaked(1))).event.tokenId).toBe(0); // EOS banned: the rest tie, lowest id wins
    expect((await s.next(peaked(1))).event.tokenId).toBe(0);
    expect((await s.next(peaked(1))).finish).toMatchObject({ reason: "stop" });
    const biased = step({ temperature: 0, logit_bias: { "4": 20 }, logprobs: true, top_logprobs: 1 }, 5);
    const first = await biased.next(peaked(1));
    expect(first.event.tokenId).toBe(4);
    expect(first.event.logprob).toMatchObject({ token: "e", top_logprobs: [{ token: "e" }] });
    expect(first.event.logprob!.logprob).toBeCloseTo(first.event.sampledLogprob, 6);
  });
});

describe("topKIndices", () => {
  it("equals sorting, ties by id", () => {
    const rng = new Prng(3);
    const v = Float32Array.from({ length: 5000 }, () => Math.round(rng.normal() * 4));
    const sorted = Array.from(v.keys()).sort((a, b) => v[b]! - v[a]! || a - b);
    expect(Array.from(topKIndices(v, 20))).toEqual(sorted.slice(0, 20));
  });
});

describe("stop strings", () => {
  it("matches across pieces and holds back a possible start", () => {
    const m = new StopStringMatcher(["END"], false);
    expect(m.push("abcE")).toEqual({ emit: "ab", stop: null });
    expect(m.push("N")).toEqual({ emit: "c", stop: null });
    expect(m.push("Dxyz")).toEqual({ emit: "", stop: "END" });
    expect(m.output).toBe("abc");
  });

  it("include_stop_str_in_output keeps it; a false start is released", () => {
    const keep = new StopStringMatcher(["</s>"], true);
    expect(keep.push("hi </").emit + keep.push("s> more").emit).toBe("hi </s>");
    const release = new StopStringMatcher(["STOP"], false);
    expect(release.push("ST").emit + release.push("ART").emit + release.finish()).toBe("START");
  });
});

describe("repetition detection (vLLM semantics)", () => {
  const p = { maxPatternSize: 3, minPatternSize: 0, minCount: 3 };
  it("finds a pattern repeated min_count times at the tail", () => {
    expect(endsInRepetition([9, 1, 2, 1, 2, 1, 2], p)).toBe(true);
    expect(endsInRepetition([1, 2, 1, 2, 3], p)).toBe(false);
    expect(endsInRepetition([5, 5, 5], p)).toBe(true);
    expect(endsInRepetition([1, 2, 3, 4, 1, 2, 3, 4], p)).toBe(false);
  });
});
