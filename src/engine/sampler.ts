import type { Prng } from "./prng.js";
import { argmax, topKIndices } from "./select.js";

export interface SamplerParams {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
}

/** Below this temperature sampling is greedy, as in vLLM. */
export const GREEDY_EPS = 1e-5;

/**
 * Pick one token from processed logits. Greedy at temperature 0; otherwise min_p, then top_k, then
 * top_p over what is left, then one uniform draw from the seeded stream. Never sorts the vocabulary:
 * top_k uses a heap, top_p sorts only the tokens in the head of the distribution.
 */
export function sampleToken(logits: Float32Array, p: SamplerParams, rng: Prng): number {
  if (p.temperature < GREEDY_EPS) return argmax(logits);
  const V = logits.length;
  const invT = 1 / p.temperature;
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (logits[i]! > max) max = logits[i]!;
  if (max === -Infinity) throw new Error("every token is masked: nothing can be sampled");
  // weight_i = exp((l_i - max) / T): the unnormalised probability, 1 for the top token.
  const minWeight = p.minP > 0 ? p.minP : 0;
  const weight = (i: number) => Math.exp((logits[i]! - max) * invT);

  let ids: Int32Array | null = null; // null: every token, in id order
  let sorted = false;
  if (p.topK > 0 && p.topK < V) {
    ids = topKIndices(logits, p.topK);
    sorted = true;
  } else if (p.topP < 1) {
    ids = headSorted(logits, max, invT, p.topP);
    sorted = true;
  }
  if (minWeight > 0) ids = (ids ?? allIds(V)).filter((i) => weight(i) >= minWeight);
  if (ids && sorted && p.topP < 1) {
    let total = 0;
    for (const i of ids) total += weight(i);
    let acc = 0;
    let cut = 0;
    while (cut < ids.length && acc < p.topP * total) acc += weight(ids[cut++]!);
    ids = ids.subarray(0, Math.max(1, cut));
  }
  return draw(ids, V, weight, rng);
}

function draw(ids: Int32Array | null, V: number, weight: (i: number) => number, rng: Prng): number {
  const n = ids ? ids.length : V;
  let total = 0;
  for (let j = 0; j < n; j++) total += weight(ids ? ids[j]! : j);
  let u = rng.next() * total;
  let last = -1;
  for (let j = 0; j < n; j++) {
    const i = ids ? ids[j]! : j;
    const w = weight(i);
    if (w === 0) continue;
    last = i;
    u -= w;
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
 * The smallest set of most likely tokens whose mass reaches `topP`, sorted by probability: tokens
 * are bucketed by log-probability in one pass, and only the buckets up to the one crossing top_p are
 * sorted.
 */
function headSorted(logits: Float32Array, max: number, invT: number, topP: number): Int32Array {
  const BUCKETS = 256;
  const PER_NAT = 8;
  const V = logits.length;
  const mass = new Float64Array(BUCKETS);
  const bucketOf = new Uint8Array(V);
  let total = 0;
  for (let i = 0; i < V; i++) {
    const d = (max - logits[i]!) * invT;
    const b = d === Infinity ? BUCKETS - 1 : Math.min(BUCKETS - 1, Math.floor(d * PER_NAT));
    bucketOf[i] = b;
    const w = Math.exp(-d);
    mass[b] = mass[b]! + w;
    total += w;
  }
  let acc = 0;
  let last = 0;
  for (; last < BUCKETS - 1; last++) {
    acc += mass[last]!;
    if (acc >= topP * total) break;
  }
  const ids: number[] = [];
  for (let i = 0; i < V; i++) if (bucketOf[i]! <= last && logits[i]! !== -Infinity) ids.push(i);
  ids.sort((a, b) => logits[b]! - logits[a]! || a - b);
  return Int32Array.from(ids);
}
