import { describe, expect, it } from "vitest";
import { Prng } from "../../../src/engine/sampling/prng.js";
import { endsInRepetition } from "../../../src/engine/decode/repetition.js";
import { distribution } from "../../../src/engine/sampling/distribution.js";
import { sampleToken as sampleWith } from "../../../src/engine/sampling/sampler.js";
import { argmax } from "../../../src/engine/sampling/select.js";
import { topKIndices } from "../../../src/engine/sampling/select.js";
import { StopStringMatcher } from "../../../src/engine/decode/stop-strings.js";

const logitsOf = (probs: number[]) => Float32Array.from(probs, (p) => (p > 0 ? Math.log(p) : -Infinity));
const params = { temperature: 1, topK: 0, topP: 1, minP: 0 };
/** Greedy below GREEDY_EPS, else one draw, as the loop does. */
function sampleToken(logits: Float32Array, p: typeof params, rng: Prng): number {
  if (p.temperature === 0) return argmax(logits);
  return sampleWith(logits, distribution(logits, p.temperature, new Float32Array(logits.length)), p, rng);
}

function frequencies(logits: Float32Array, p: typeof params, draws = 20000): number[] {
  const rng = new Prng(1);
  const counts = new Array(logits.length).fill(0);
  for (let i = 0; i < draws; i++) counts[sampleToken(logits, p, rng)]++;
  return counts.map((c) => c / draws);
}

describe("sampler", () => {
  const probs = [0.05, 0.4, 0.3, 0.15, 0.1];

  it("draws in proportion to the probabilities", () => {
    frequencies(logitsOf(probs), params).forEach((f, i) => expect(Math.abs(f - probs[i]!)).toBeLessThan(0.015));
  });

  it("top_p keeps the smallest head reaching p, renormalised", () => {
    const f = frequencies(logitsOf(probs), { ...params, topP: 0.65 });
    expect(f.map((x) => x > 0)).toEqual([false, true, true, false, false]);
    expect(Math.abs(f[1]! - 0.4 / 0.7)).toBeLessThan(0.015);
    expect(frequencies(logitsOf(probs), { ...params, topP: 0.75 }).map((x) => x > 0)).toEqual([false, true, true, true, false]);
    expect(frequencies(logitsOf(probs), { ...params, topP: 0.75, topK: 2 }).map((x) => x > 0)).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it("top_k and min_p cut the tail; temperature 0 is argmax with ties to the lowest id", () => {
    expect(frequencies(logitsOf(probs), { ...params, topK: 2 }).map((f) => f > 0)).toEqual([false, true, true, false, false]);
    expect(frequencies(logitsOf(probs), { ...params, minP: 0.5 }).map((f) => f > 0)).toEqual([false, true, true, false, false]);
    expect(sampleToken(Float32Array.of(1, 3, 3, 2), { ...params, temperature: 0 }, new Prng(0))).toBe(1);
  });

  it("top_p over a 151936-token vocabulary matches a full sort", () => {
    const rng = new Prng(5);
    const logits = Float32Array.from({ length: 151936 }, () => rng.normal() * 3);
    const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]! || a - b);
    const max = logits[order[0]!]!;
    const w = order.map((i) => Math.exp(logits[i]! - max));
    const total = w.reduce((a, b) => a + b, 0);
    let acc = 0;
    let n = 0;
    while (acc < 0.9 * total) acc += w[n++]!;
    const allowed = new Set(order.slice(0, n));
    const r = new Prng(9);
    for (let i = 0; i < 200; i++) expect(allowed.has(sampleToken(logits, { ...params, topP: 0.9 }, r))).toBe(true);
  });

  it("same seed, same stream", () => {
    const l = logitsOf(probs);
    const a = new Prng(42);
    const b = new Prng(42);
    for (let i = 0; i < 50; i++) expect(sampleToken(l, params, a)).toBe(sampleToken(l, params, b));
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
