import type { DecoderConfig } from "./config.js";

/** Inverse frequencies of rotary embeddings, with Llama 3 scaling when configured. */
export function ropeInvFreq(cfg: DecoderConfig): Float64Array {
  const half = cfg.headDim / 2;
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = 1 / cfg.ropeTheta ** ((2 * i) / cfg.headDim);
  const s = cfg.ropeScaling;
  if (s?.type === "llama3") {
    const lowWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor;
    const highWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
    for (let i = 0; i < half; i++) {
      const f = inv[i]!;
      const wavelen = (2 * Math.PI) / f;
      if (wavelen < highWavelen) continue;
      if (wavelen > lowWavelen) {
        inv[i] = f / s.factor;
      } else {
        const smooth = (s.originalMaxPositionEmbeddings / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
        inv[i] = (1 - smooth) * (f / s.factor) + smooth * f;
      }
    }
  }
  return inv;
}

/** Rotate-half RoPE (Hugging Face layout) of one head stored at v[offset .. offset+headDim). */
export function applyRope(v: Float32Array, offset: number, invFreq: Float64Array, position: number): void {
  const half = invFreq.length;
  for (let i = 0; i < half; i++) {
    const angle = position * invFreq[i]!;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const x1 = v[offset + i]!;
    const x2 = v[offset + i + half]!;
    v[offset + i] = x1 * c - x2 * s;
    v[offset + i + half] = x2 * c + x1 * s;
  }
}
