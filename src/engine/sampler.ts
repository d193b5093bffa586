import type { Distribution } from "./distribution.js";
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
  if (p.topK > 0 && p.topK < V) ids = topKIndices(logits, p.topK);
  else if (p.topP < 1) ids = headSorted(logits, d, p.topP);
  if (p.minP > 0) ids = (ids ?? allIds(V)).filter((i) => w[i]! >= p.minP); // the top token has weight 1
  if (ids && p.topP < 1) {
    let total = 0;
    for (const i of ids) total += w[i]!;
    let acc = 0;
    let cut = 0;
    while (cut < ids.length && acc < p.topP * total) acc += w[ids[cut++]!]!;
    ids = ids.subarray(0, Math.max(1, cut));
  }
  return draw(ids, d, rng);
}

function draw(ids: Int32Array | null, d: Distribution, rng: Prng): number {
  const w = d.weights;
  const n = ids ? ids.length : w.length;
  let total = d.total;
  if (ids) {
    total = 0;
    for (let j = 0; j < n; j++) total += w[ids[j]!]!;
  }
  let u = rng.next() * total;
  let last = -1;
  for (let j = 0; j < n; j++) {
    const i = ids ? ids[j]! : j;
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
 * The most likely tokens up to the bucket where their mass reaches `topP`, sorted by probability:
 * tokens are bucketed by log-probability in one pass, and only buckets up to the crossing are sorted.
 */
function headSorted(logits: Float32Array, d: Distribution, topP: number): Int32Array {
  const BUCKETS = 256;
  const PER_NAT = 8;
  const V = logits.length;
  const mass = new Float64Array(BUCKETS);
  const bucketOf = new Uint8Array(V);
  for (let i = 0; i < V; i++) {
    const nats = (d.max - logits[i]!) * d.invT;
    const b = nats < BUCKETS / PER_NAT ? Math.floor(nats * PER_NAT) : BUCKETS - 1;
    bucketOf[i] = b;
    mass[b] = mass[b]! + d.weights[i]!;
  }
  let acc = 0;
  let last = 0;
  for (; last < BUCKETS - 1; last++) {
    acc += mass[last]!;
    if (acc >= topP * d.total) break;
  }
  const ids: number[] = [];
  for (let i = 0; i < V; i++) if (bucketOf[i]! <= last && d.weights[i]! > 0) ids.push(i);
  ids.sort((a, b) => logits[b]! - logits[a]! || a - b);
  return Int32Array.from(ids);
}
