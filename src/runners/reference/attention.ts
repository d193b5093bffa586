import type { DecoderConfig } from "./config.js";
import { softmax } from "./ops.js";

/** A decoder's key/value cache and the causal attention over it, layer by layer. */
export interface KvAttention {
  /** Make room for `positions` cached positions. */
  ensure(positions: number): void;
  /** Cache the key and value rows k[t], v[t] (kvDim floats each) of layer l at positions pos0 + t, t < n. */
  store(l: number, pos0: number, n: number, k: Float32Array, v: Float32Array): void;
  /** attn[t] = attention of the query q[t] (at position pos0 + t, already cached) over layer l, t < n. */
  attend(l: number, pos0: number, n: number, q: Float32Array, attn: Float32Array): void;
}

/** The cache in JavaScript arrays grown by doubling up to the context window, attention in plain loops. */
export class JsAttention implements KvAttention {
  private keys: Float32Array[] = [];
  private values: Float32Array[] = [];
  private capacity = 0;
  private scores = new Float32Array(64);

  constructor(
    private readonly cfg: DecoderConfig,
    private readonly maxPositions: number,
  ) {}

  ensure(positions: number): void {
    if (positions <= this.capacity) return;
    const kvDim = this.cfg.numKvHeads * this.cfg.headDim;
    const cap = Math.min(this.maxPositions, Math.max(64, this.capacity * 2, positions));
    for (let l = 0; l < this.cfg.numLayers; l++) {
      const k = new Float32Array(cap * kvDim);
      const v = new Float32Array(cap * kvDim);
      if (this.keys[l]) {
        k.set(this.keys[l]!);
        v.set(this.values[l]!);
      }
      this.keys[l] = k;
      this.values[l] = v;
    }
    this.capacity = cap;
    this.scores = new Float32Array(cap);
  }

  store(l: number, pos0: number, n: number, k: Float32Array, v: Float32Array): void {
    const kvDim = this.cfg.numKvHeads * this.cfg.headDim;
    this.keys[l]!.set(k.subarray(0, n * kvDim), pos0 * kvDim);
    this.values[l]!.set(v.subarray(0, n * kvDim), pos0 * kvDim);
  }

  attend(l: number, pos0: number, n: number, q: Float32Array, attn: Float32Array): void {
    const qDim = this.cfg.numHeads * this.cfg.headDim;
    for (let t = 0; t < n; t++) this.attendOne(l, pos0 + t, q, t * qDim, attn);
  }

  /** Attention of the query at q[qBase ..] (position pos) into attn[qBase ..]. */
  private attendOne(l: number, pos: number, q: Float32Array, qBase: number, attn: Float32Array): void {
    const { cfg, scores } = this;
    const hd = cfg.headDim;
    const kvDim = cfg.numKvHeads * hd;
    const group = cfg.numHeads / cfg.numKvHeads;
    const K = this.keys[l]!;
    const V = this.values[l]!;
    // A sliding-window layer sees the last `window` positions, itself included (transformers: kv > q - window).
    const window = cfg.slidingWindows[l];
    const first = window ? Math.max(0, pos - window + 1) : 0;
    const n = pos + 1 - first;
    for (let head = 0; head < cfg.numHeads; head++) {
      const qo = qBase + head * hd;
      const kvo = Math.floor(head / group) * hd;
      for (let j = 0; j < n; j++) {
        let s = 0;
        const ko = (first + j) * kvDim + kvo;
        for (let i = 0; i < hd; i++) s += q[qo + i]! * K[ko + i]!;
        scores[j] = s * cfg.attentionScale;
      }
      softmax(scores, n);
      attn.fill(0, qo, qo + hd);
      for (let j = 0; j < n; j++) {
        const p = scores[j]!;
        const vo = (first + j) * kvDim + kvo;
        for (let i = 0; i < hd; i++) attn[qo + i] = attn[qo + i]! + p * V[vo + i]!;
      }
    }
  }
}
