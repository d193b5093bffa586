import type { DecoderConfig } from "./config.js";
import { embeddingRow, linear } from "./linear.js";
import { geluTanh, rmsNorm, silu, softmax } from "./ops.js";
import { applyRope, ropeTables, type RopeTables } from "./rope.js";
import type { DecoderWeights } from "./weights.js";

/** Per-layer key/value cache, grown by doubling up to the context window. */
class KvCache {
  keys: Float32Array[] = [];
  values: Float32Array[] = [];
  capacity = 0;

  constructor(
    private readonly layers: number,
    private readonly rowSize: number,
    private readonly maxPositions: number,
  ) {}

  ensure(positions: number): void {
    if (positions <= this.capacity) return;
    const cap = Math.min(this.maxPositions, Math.max(64, this.capacity * 2, positions));
    for (let l = 0; l < this.layers; l++) {
      const k = new Float32Array(cap * this.rowSize);
      const v = new Float32Array(cap * this.rowSize);
      if (this.keys[l]) {
        k.set(this.keys[l]!);
        v.set(this.values[l]!);
      }
      this.keys[l] = k;
      this.values[l] = v;
    }
    this.capacity = cap;
  }
}

/** A Llama-family decoder (Llama, Mistral, Qwen2, Qwen3, Granite, Gemma) evaluated one position at a time on the CPU. */
export class Decoder {
  private readonly rope: RopeTables;
  private readonly cache: KvCache;
  private length = 0;
  // Scratch buffers reused across positions.
  private readonly x: Float32Array;
  private readonly h: Float32Array;
  private readonly q: Float32Array;
  private readonly k: Float32Array;
  private readonly v: Float32Array;
  private readonly attn: Float32Array;
  private readonly gate: Float32Array;
  private readonly up: Float32Array;
  private scores: Float32Array;

  constructor(
    readonly cfg: DecoderConfig,
    private readonly w: DecoderWeights,
    readonly contextWindow: number,
  ) {
    const kvDim = cfg.numKvHeads * cfg.headDim;
    this.rope = ropeTables(cfg.rope, cfg.headDim);
    this.cache = new KvCache(cfg.numLayers, kvDim, contextWindow);
    this.x = new Float32Array(cfg.hiddenSize);
    this.h = new Float32Array(cfg.hiddenSize);
    this.q = new Float32Array(cfg.numHeads * cfg.headDim);
    this.k = new Float32Array(kvDim);
    this.v = new Float32Array(kvDim);
    this.attn = new Float32Array(cfg.numHeads * cfg.headDim);
    this.gate = new Float32Array(cfg.intermediateSize);
    this.up = new Float32Array(cfg.intermediateSize);
    this.scores = new Float32Array(64);
  }

  get position(): number {
    return this.length;
  }

  reset(): void {
    this.length = 0;
  }

  /** Forget positions from `length` on; their cache rows are overwritten by the next steps. */
  truncate(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > this.length) {
      throw new RangeError(`cannot truncate ${this.length} cached tokens to ${length}`);
    }
    this.length = length;
  }

  /** Run one token at the next position; leaves the final hidden state normalised in `hidden()`. */
  step(token: number): void {
    const { cfg, w } = this;
    if (!Number.isInteger(token) || token < 0 || token >= cfg.vocabSize) {
      throw new RangeError(`token id ${token} is outside the vocabulary [0, ${cfg.vocabSize})`);
    }
    if (this.length >= this.contextWindow) {
      throw new RangeError(`the context window of ${this.contextWindow} tokens is full`);
    }
    const H = cfg.hiddenSize;
    const hd = cfg.headDim;
    const kvDim = cfg.numKvHeads * hd;
    const group = cfg.numHeads / cfg.numKvHeads;
    const pos = this.length;
    this.cache.ensure(pos + 1);
    if (this.scores.length < pos + 1) this.scores = new Float32Array(this.cache.capacity);
    const { x, h, q, k, v, attn, gate, up, scores } = this;
    embeddingRow(w.embed, token, H, x);
    if (cfg.embeddingScale !== 1) for (let i = 0; i < H; i++) x[i] = x[i]! * cfg.embeddingScale;
    const scale = cfg.attentionScale;
    const act = cfg.activation === "silu" ? silu : geluTanh;
    const rm = cfg.residualMultiplier;

    for (let l = 0; l < cfg.numLayers; l++) {
      const L = w.layers[l]!;
      h.set(x);
      rmsNorm(h, 0, H, L.inputNorm, cfg.rmsNormEps);
      linear(L.q, cfg.numHeads * hd, H, h, q, 0, L.qBias);
      linear(L.k, kvDim, H, h, k, 0, L.kBias);
      linear(L.v, kvDim, H, h, v, 0, L.vBias);
      for (let head = 0; head < cfg.numHeads; head++) {
        if (L.qNorm) rmsNorm(q, head * hd, hd, L.qNorm, cfg.rmsNormEps);
        applyRope(q, head * hd, this.rope, pos);
      }
      for (let head = 0; head < cfg.numKvHeads; head++) {
        if (L.kNorm) rmsNorm(k, head * hd, hd, L.kNorm, cfg.rmsNormEps);
        applyRope(k, head * hd, this.rope, pos);
      }
      const K = this.cache.keys[l]!;
      const V = this.cache.values[l]!;
      K.set(k, pos * kvDim);
      V.set(v, pos * kvDim);

      // A sliding-window layer sees the last `window` positions, itself included (transformers: kv > q - window).
      const window = cfg.slidingWindows[l];
      const first = window ? Math.max(0, pos - window + 1) : 0;
      const n = pos + 1 - first;
      for (let head = 0; head < cfg.numHeads; head++) {
        const qo = head * hd;
        const kvo = Math.floor(head / group) * hd;
        for (let j = 0; j < n; j++) {
          let s = 0;
          const ko = (first + j) * kvDim + kvo;
          for (let i = 0; i < hd; i++) s += q[qo + i]! * K[ko + i]!;
          scores[j] = s * scale;
        }
        softmax(scores, n);
        attn.fill(0, qo, qo + hd);
        for (let j = 0; j < n; j++) {
          const p = scores[j]!;
          const vo = (first + j) * kvDim + kvo;
          for (let i = 0; i < hd; i++) attn[qo + i] = attn[qo + i]! + p * V[vo + i]!;
        }
      }
      linear(L.o, H, cfg.numHeads * hd, attn, h, 0, L.oBias);
      for (let i = 0; i < H; i++) x[i] = x[i]! + h[i]! * rm;

      h.set(x);
      rmsNorm(h, 0, H, L.postNorm, cfg.rmsNormEps);
      linear(L.gate, cfg.intermediateSize, H, h, gate, 0, L.gateBias);
      linear(L.up, cfg.intermediateSize, H, h, up, 0, L.upBias);
      for (let i = 0; i < cfg.intermediateSize; i++) gate[i] = act(gate[i]!) * up[i]!;
      linear(L.down, H, cfg.intermediateSize, gate, h, 0, L.downBias);
      for (let i = 0; i < H; i++) x[i] = x[i]! + h[i]! * rm;
    }
    h.set(x);
    rmsNorm(h, 0, H, w.finalNorm, cfg.rmsNormEps);
    this.length++;
  }

  /** Logits of the last stepped position, written at out[offset ..). */
  logits(out: Float32Array, offset = 0): void {
    const { vocabSize, hiddenSize, logitsScaling } = this.cfg;
    linear(this.w.lmHead, vocabSize, hiddenSize, this.h, out, offset);
    if (logitsScaling !== 1) for (let i = offset; i < offset + vocabSize; i++) out[i] = out[i]! / logitsScaling;
  }
}
