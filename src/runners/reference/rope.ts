import type { Rope } from "./rope-config.js";

export interface RopeTables {
  /** Inverse frequency of each rotated pair (headDim / 2 of them). */
  invFreq: Float64Array;
  /** Factor on cos and sin (yarn's attention factor, else 1). */
  scale: number;
}

/** Inverse frequencies as transformers' rope init functions compute them for each rope type. */
export function ropeTables(rope: Rope, headDim: number): RopeTables {
  const half = headDim / 2;
  const base = new Float64Array(half);
  for (let i = 0; i < half; i++) base[i] = 1 / rope.theta ** ((2 * i) / headDim);
  switch (rope.type) {
    case "default":
    case "dynamic": // differs from default only past max_position_embeddings, beyond the runner's context window
      return { invFreq: base, scale: 1 };
    case "linear":
      return { invFreq: base.map((f) => f / rope.factor), scale: 1 };
    case "llama3":
      return { invFreq: llama3(base, rope), scale: 1 };
    case "yarn":
      return { invFreq: yarn(base, rope, headDim), scale: rope.attentionFactor };
  }
}

function llama3(inv: Float64Array, s: Extract<Rope, { type: "llama3" }>): Float64Array {
  const lowWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor;
  const highWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
  return inv.map((f) => {
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highWavelen) return f;
    if (wavelen > lowWavelen) return f / s.factor;
    const smooth = (s.originalMaxPositionEmbeddings / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
    return (1 - smooth) * (f / s.factor) + smooth * f;
  });
}

/** YaRN: interpolate low frequencies, keep high ones, with a linear ramp between the correction dims. */
function yarn(inv: Float64Array, s: Extract<Rope, { type: "yarn" }>, dim: number): Float64Array {
  const correctionDim = (rotations: number) =>
    (dim * Math.log(s.originalMaxPositionEmbeddings / (rotations * 2 * Math.PI))) / (2 * Math.log(s.theta));
  let low = correctionDim(s.betaFast);
  let high = correctionDim(s.betaSlow);
  if (s.truncate) {
    low = Math.floor(low);
    high = Math.ceil(high);
  }
  low = Math.max(low, 0);
  high = Math.min(high, dim - 1);
  if (low === high) high += 0.001; // as transformers: avoids a zero-width ramp
  return inv.map((f, i) => {
    const ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
    const extrapolation = 1 - ramp;
    return (f / s.factor) * (1 - extrapolation) + f * extrapolation;
  });
}

/** cos and sin (times `scale`) of each pair's angle at `position`, into cs[at ..]: headDim / 2 of each. */
export function ropeCosSin(rope: RopeTables, position: number, cs: Float64Array, at: number): void {
  const { invFreq, scale } = rope;
  const half = invFreq.length;
  for (let i = 0; i < half; i++) {
    const angle = position * invFreq[i]!;
    cs[at + i] = Math.cos(angle) * scale;
    cs[at + half + i] = Math.sin(angle) * scale;
  }
}

/** Rotate-half RoPE (Hugging Face layout) of one head at v[offset .. offset+2*half), with ropeCosSin's cs[at ..]. */
export function applyRope(v: Float32Array, offset: number, half: number, cs: Float64Array, at: number): void {
  for (let i = 0; i < half; i++) {
    const c = cs[at + i]!;
    const s = cs[at + half + i]!;
    const x1 = v[offset + i]!;
    const x2 = v[offset + i + half]!;
    v[offset + i] = x1 * c - x2 * s;
    v[offset + i + half] = x2 * c + x1 * s;
  }
}
