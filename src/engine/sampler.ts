import { BAND_COUNT, BANDS_PER_NAT, newBands, type Bands, type Distribution } from "./distribution.js";
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
  if (p.minP > 0) ids = (ids ?? allIds(V)).filter((i) => w[i]! >= p.minP); // the top token has weight 1
  if (p.topP < 1 && !sorted) {
    // Without top_k the head is found by buckets; min_p never removes a token top_p keeps
    // unless min_p is stricter, so applying it afterwards gives the same set.
    const head = headSorted(logits, d, p.topP);
    ids = p.minP > 0 ? head.filter((i) => w[i]! >= p.minP) : head;
  } else if (ids && p.topP < 1) {
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
 * The smallest set of most likely tokens whose mass reaches `topP`: whole bands in id order, then
 * the crossing band's tokens by probability. Bands (1/8 nat each) come from the softmax pass, so
 * only the crossing band is sorted.
 */
function headSorted(logits: Float32Array, d: Distribution, topP: number): Int32Array {
  const V = logits.length;
  const { of, mass } = d.bands ?? bandsFor(logits, d);
  const target = topP * d.total;
  let above = 0;
  let cross = 0;
  while (cross < BAND_COUNT - 1 && above + mass[cross]! < target) above += mass[cross++]!;
  const kept = new Int32Array(V);
  let n = 0;
  const edge: number[] = [];
  for (let i = 0; i < V; i++) {
    const b = of[i]!;
    if (b > cross || d.weights[i] === 0) continue;
    if (b < cross) kept[n++] = i;
    else edge.push(i);
  }
  edge.sort((a, b) => logits[b]! - logits[a]! || a - b);
  for (let j = 0; j < edge.length && (above < target || n === 0); j++) {
    kept[n++] = edge[j]!;
    above += d.weights[edge[j]!]!;
  }
  return kept.subarray(0, n);
}

/** Bands for a distribution computed without them. */
function bandsFor(logits: Float32Array, d: Distribution): Bands {
  const bands = newBands(logits.length);
  for (let i = 0; i < logits.length; i++) {
    const b = Math.min(BAND_COUNT - 1, ((d.max - logits[i]!) * d.invT * BANDS_PER_NAT) | 0);
    bands.of[i] = b;
    bands.mass[b] = bands.mass[b]! + d.weights[i]!;
  }
  return bands;
}
