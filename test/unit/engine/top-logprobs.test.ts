import { describe, expect, it } from "vitest";
import { distribution, newBands } from "../../../src/engine/sampling/distribution.js";
import { topLogprobIds } from "../../../src/engine/sampling/logprobs.js";
import { Prng } from "../../../src/engine/sampling/prng.js";
import { topKIndices } from "../../../src/engine/sampling/select.js";

/** The plain definition: every id sorted by logit descending, ties by lower id. */
function bySort(logits: Float32Array): number[] {
  return Array.from(logits.keys()).sort((a, b) => (logits[a] === logits[b] ? a - b : logits[b]! - logits[a]! > 0 ? 1 : -1));
}

describe("top_logprobs ids from the softmax pass's bands", () => {
  it("equal a full sort and the previous heap selection on random logits with ties, -Infinity, spikes and flat runs", () => {
    const rng = new Prng(42);
    let cases = 0;
    for (const V of [7, 100, 5000, 151936]) {
      for (let trial = 0; trial < (V > 10000 ? 5 : 20); trial++) {
        const logits = new Float32Array(V);
        const kind = trial % 5;
        for (let i = 0; i < V; i++) {
          const x = rng.normal() * 3;
          // Ties: logits rounded to a coarse grid (kind 1), a flat vocabulary (2), masked ids (3), a spike (4).
          logits[i] = kind === 1 ? Math.round(x) : kind === 2 ? 0.5 : x;
          if (kind === 3 && rng.next() < 0.7) logits[i] = -Infinity;
        }
        if (kind === 4) logits[Math.floor(rng.next() * V)] = 40;
        const sorted = bySort(logits);
        for (const temperature of [0.3, 0.7, 1, 1.8]) {
          const d = distribution(logits, temperature, new Float32Array(V), newBands(V));
          for (const k of V > 10000 ? [1, 5, 20] : [1, 2, 5, 20, Math.min(V, 200), V]) {
            const got = Array.from(topLogprobIds(logits, d, k));
            expect(got, `V ${V} kind ${kind} T ${temperature} k ${k}`).toEqual(sorted.slice(0, k));
            expect(got).toEqual(Array.from(topKIndices(logits, k, false)));
            cases++;
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(1000);
  });

  it("without bands (no top_p) it is the heap selection", () => {
    const logits = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 4);
    const d = distribution(logits, 1, new Float32Array(1000));
    expect(Array.from(topLogprobIds(logits, d, 20))).toEqual(bySort(logits).slice(0, 20));
  });
});
