import { BAND_COUNT, newBands, softmaxKernel, type Bands, type Distribution } from "./distribution.js";
import { fillBands } from "./kernels/softmax.js";
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
    // Without top_k the head is found by bands; min_p never removes a token top_p keeps
    // unless min_p is stricter, so applying it afterwards gives the same set.
    if (p.minP === 0) return drawNucleus(logits, d, p.topP, rng);
    ids = headSorted(logits, d, p.topP).filter((i) => w[i]! >= p.minP);
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
  if (!ids) return drawAll(w, rng.next() * d.total);
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

function lastWeighted(w: Float32Array, end: number): number {
  for (let i = end - 1; i >= 0; i--) if (w[i] !== 0) return i;
  return -1;
}

/**
 * A draw from the top_p nucleus: the whole bands above the crossing one in id order, then the
 * crossing band's tokens by probability until the mass reaches top_p. Only the ids of bands up to
 * the crossing one are listed (16 at a time by the kernel), so the cost follows the nucleus.
 */
function drawNucleus(logits: Float32Array, d: Distribution, topP: number, rng: Prng): number {
  const { of, mass } = d.bands ?? bandsFor(logits, d);
  const w = d.weights;
  const target = topP * d.total;
  let above = 0;
  let cross = 0;
  while (cross < BAND_COUNT - 1 && above + mass[cross]! < target) above += mass[cross++]!;
  const head = softmaxKernel.head(of, cross);
  const edge = Array.from(head.filter((i) => of[i] === cross && w[i] !== 0)).sort((a, b) => logits[b]! - logits[a]! || a - b);
  let kept = above;
  let m = 0;
  while (m < edge.length && (kept < target || m === 0)) kept += w[edge[m++]!]!;
  let u = rng.next() * kept;
  for (const i of head) {
    if (of[i] === cross) continue;
    u -= w[i]!;
    if (u < 0) return i;
  }
  for (let j = 0; j < m; j++) {
    u -= w[edge[j]!]!;
    if (u < 0) return edge[j]!;
  }
  return edge[m - 1] ?? lastWeighted(w, w.length); // rounding left u at ~0
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
  fillBands(logits, d.max, d.invT, d.weights, bands);
  return bands;
}
