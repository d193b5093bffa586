import type { Distribution } from "./distribution.js";
import { drawNucleus, lastWeighted, nucleus, nucleusIds } from "./nucleus.js";
import type { Prng } from "./prng.js";
import { topKIndices } from "./select.js";

export interface SamplerParams {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
}

/** Below this temperature sampling is greedy, as in vLLM. */
export const GREEDY_EPS = 1e-5;

/**
 * Pick one token (temperature > 0): min_p, then top_k, then top_p over what is left, then one
 * uniform draw from the seeded stream. Never sorts the vocabulary: top_k uses a heap, top_p sorts
 * only the head of the distribution.
 */
export function sampleToken(logits: Float32Array, d: Distribution, p: SamplerParams, rng: Prng): number {
  const V = logits.length;
  const w = d.weights;
  let ids: Int32Array | null = null; // null: every token, in id order
  let sorted = false; // ids ordered by probability (top_k) rather than by id
  if (p.topK > 0 && p.topK < V) [ids, sorted] = [topKIndices(logits, p.topK), true];
  if (p.topP < 1 && !sorted) {
    // Without top_k the head is found by bands; min_p never removes a token top_p keeps
    // unless min_p is stricter, so applying it afterwards gives the same set.
    const n = nucleus(logits, d, p.topP);
    if (p.minP === 0) return drawNucleus(n, w, rng);
    ids = nucleusIds(n, w).filter((i) => w[i]! >= p.minP); // the top token has weight 1
  } else {
    if (p.minP > 0) ids = (ids ?? allIds(V)).filter((i) => w[i]! >= p.minP);
    if (ids && p.topP < 1) {
      let total = 0;
      for (const i of ids) total += w[i]!;
      let acc = 0;
      let cut = 0;
      while (cut < ids.length && acc < p.topP * total) acc += w[ids[cut++]!]!;
      ids = ids.subarray(0, Math.max(1, cut));
    }
  }
  return draw(ids, d, rng);
}

function draw(ids: Int32Array | null, d: Distribution, rng: Prng): number {
  const w = d.weights;
  if (!ids) return drawAll(w, rng.next() * d.total);
  let total = 0;
  for (const i of ids) total += w[i]!;
  let u = rng.next() * total;
  let last = -1;
  for (const i of ids) {
    const wi = w[i]!;
    if (wi === 0) continue;
    last = i;
    u -= wi;
    if (u < 0) return i;
  }
  return last; // rounding left u at ~0: the last token with weight
}

function allIds(V: number): Int32Array {
  const out = new Int32Array(V);
  for (let i = 0; i < V; i++) out[i] = i;
  return out;
}

/**
 * The first token where the running sum of weights passes u (it always has weight: u only falls
 * on weights). Branch-free but for the exit, which is three times faster than skipping zeros.
 */
function drawAll(w: Float32Array, u: number): number {
  for (let i = 0; i < w.length; i++) {
    u -= w[i]!;
    if (u < 0) return i;
  }
  return lastWeighted(w, w.length); // rounding left u at ~0
}
