import { bandMass } from "./band-mass.js";
import { BAND_COUNT, newBands, softmaxKernel, type Bands, type Distribution } from "./distribution.js";
import { fillBands } from "./kernels/softmax.js";
import type { Prng } from "./prng.js";

/**
 * The smallest set of most likely tokens whose mass reaches top_p: the whole bands above the
 * crossing one (the ids of `listed` below it, in id order), then `edge`, the crossing band's
 * tokens by probability until the mass reaches top_p. Bands (1/8 nat each) come from the softmax
 * pass, and their masses from the ids the kernel lists 16 at a time (band-mass.ts), so the cost
 * follows the nucleus and only the crossing band is sorted.
 */
export interface Nucleus {
  /** The ids of bands 0..cross and maybe a few more, in id order. */
  listed: Int32Array;
  of: Uint8Array;
  cross: number;
  edge: Int32Array;
  /** Weight of the whole nucleus. */
  kept: number;
}

export function nucleus(logits: Float32Array, d: Distribution, topP: number): Nucleus {
  const bands = d.bands ?? bandsFor(logits, d);
  const of = bands.of;
  const bm = bandMass(d, bands);
  const w = d.weights;
  const target = topP * d.total;
  let kept = 0;
  let cross = 0;
  while (cross < BAND_COUNT - 1 && kept + bm.through(cross)[cross]! < target) kept += bm.mass[cross++]!;
  const listed = cross <= bm.upTo ? bm.ids : softmaxKernel.head(of, cross);
  const edge = edgeOrder(listed, of, cross, logits, w);
  let m = 0;
  while (m < edge.length && (kept < target || m === 0)) kept += w[edge[m++]!]!;
  return { listed, of, cross, edge: edge.subarray(0, m), kept };
}

/** One draw from the nucleus, in its order. */
export function drawNucleus({ listed, of, cross, edge, kept }: Nucleus, w: Float32Array, rng: Prng): number {
  let u = rng.next() * kept;
  for (const i of listed) {
    if (of[i]! >= cross) continue;
    u -= w[i]!;
    if (u < 0) return i;
  }
  for (const i of edge) {
    u -= w[i]!;
    if (u < 0) return i;
  }
  return edge.at(-1) ?? lastWeighted(w, w.length); // rounding left u at ~0
}

/** The nucleus's ids with weight, in its order. */
export function nucleusIds({ listed, of, cross, edge }: Nucleus, w: Float32Array): Int32Array {
  const whole = listed.filter((i) => of[i]! < cross && w[i] !== 0);
  const ids = new Int32Array(whole.length + edge.length);
  ids.set(whole);
  ids.set(edge, whole.length);
  return ids;
}

export function lastWeighted(w: Float32Array, end: number): number {
  for (let i = end - 1; i >= 0; i--) if (w[i] !== 0) return i;
  return -1;
}

/** Bands for a distribution computed without them. */
function bandsFor(logits: Float32Array, d: Distribution): Bands {
  const bands = newBands(logits.length);
  fillBands(logits, d.max, d.invT, bands);
  return bands;
}

const ID_SPAN = 2 ** 21; // ids below it fit beside a float32's 32 bits in a float64's 53
const bits = new Float32Array(1);
const bitsU = new Uint32Array(bits.buffer);

/**
 * The crossing band's ids with weight, logit descending and ties by lower id. Each is sorted as
 * one float64 key, its logit's order in the high bits and its id in the low ones, by the typed
 * array's own numeric sort rather than a comparator.
 */
function edgeOrder(listed: Int32Array, of: Uint8Array, cross: number, logits: Float32Array, w: Float32Array): Int32Array {
  if (logits.length > ID_SPAN) {
    const ids = listed.filter((i) => of[i] === cross && w[i] !== 0);
    return ids.sort((a, b) => logits[b]! - logits[a]! || a - b);
  }
  const keys = new Float64Array(listed.length);
  let n = 0;
  for (const i of listed) {
    if (of[i] !== cross || w[i] === 0) continue;
    bits[0] = logits[i]! + 0; // -0 as +0: they tie, as in a comparison
    const u = bitsU[0]!;
    const ascending = u >= 0x80000000 ? ~u >>> 0 : u + 0x80000000; // float order as unsigned order
    keys[n++] = (0xffffffff - ascending) * ID_SPAN + i;
  }
  const sorted = keys.subarray(0, n).sort();
  const ids = new Int32Array(n);
  for (let k = 0; k < n; k++) ids[k] = sorted[k]! % ID_SPAN;
  return ids;
}
