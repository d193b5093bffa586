import { JsAttention, type KvAttention } from "./attention.js";
import type { DecoderConfig } from "./config.js";
import { QuantMatrix } from "./gguf/quant-matrix.js";
import type { WasmKernels } from "./kernels/wasm-kernels.js";
import { embeddingRow, linear, linearMany } from "./linear.js";
import { geluTanh, rmsNorm, silu } from "./ops.js";
import { applyRope, ropeCosSin, ropeTables, type RopeTables } from "./rope.js";
import { WasmAttention } from "./wasm-attention.js";
import type { DecoderWeights } from "./weights.js";

/** Activations of a chunk of positions, row-major; reallocated only when a longer chunk comes. */
class Scratch {
  readonly x: Float32Array;
  readonly h: Float32Array;
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly attn: Float32Array;
  readonly gate: Float32Array;
  readonly up: Float32Array;

  constructor(
    readonly n: number,
    cfg: DecoderConfig,
  ) {
    const kvDim = cfg.numKvHeads * cfg.headDim;
    const qDim = cfg.numHeads * cfg.headDim;
    this.x = new Float32Array(n * cfg.hiddenSize);
    this.h = new Float32Array(n * cfg.hiddenSize);
    this.q = new Float32Array(n * qDim);
    this.k = new Float32Array(n * kvDim);
    this.v = new Float32Array(n * kvDim);
    this.attn = new Float32Array(n * qDim);
    this.gate = new Float32Array(n * cfg.intermediateSize);
    this.up = new Float32Array(n * cfg.intermediateSize);
  }
}

/**
 * A Llama-family decoder (Llama, Mistral, Qwen2, Qwen3, Granite, Gemma) on the CPU. Positions are
 * fed in chunks: each weight matrix is read once per chunk (GGUF rows are dequantized once for all
 * of its positions); each position's arithmetic is the same as when fed alone.
 */
export class Decoder {
  private readonly rope: RopeTables;
  private readonly cache: KvAttention;
  private readonly kernels: WasmKernels | undefined;
  private length = 0;
  private s: Scratch;
  /** The last fed position's final hidden state, normalised. */
  private readonly h: Float32Array;

  constructor(
    readonly cfg: DecoderConfig,
    private readonly w: DecoderWeights,
    readonly contextWindow: number,
  ) {
    this.rope = ropeTables(cfg.rope, cfg.headDim);
    // Weights in the wasm kernels' memory: the cache and attention go there too.
    const q = w.layers[0]?.q;
    const kernels = q instanceof QuantMatrix ? q.kernels : undefined;
    this.kernels = kernels;
    this.cache =
      kernels && WasmAttention.fits(cfg) ? new WasmAttention(cfg, contextWindow, kernels) : new JsAttention(cfg, contextWindow);
    this.s = new Scratch(1, cfg);
    this.h = new Float32Array(cfg.hiddenSize);
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

  /** Run one token at the next position; leaves the final hidden state normalised for `logits()`. */
  step(token: number): void {
    this.stepMany(Int32Array.of(token));
  }

  /**
   * Run tokens at the next positions. `each(i)` is called after the chunk with position i's final
   * hidden state in place for `logits()` (for prompt_logprobs); afterwards the last one stays.
   */
  stepMany(tokens: Int32Array, each?: (i: number) => void): void {
    const { cfg, w } = this;
    const n = tokens.length;
    for (const token of tokens) {
      if (!Number.isInteger(token) || token < 0 || token >= cfg.vocabSize) {
        throw new RangeError(`token id ${token} is outside the vocabulary [0, ${cfg.vocabSize})`);
      }
    }
    if (this.length + n > this.contextWindow) {
      throw new RangeError(`the context window of ${this.contextWindow} tokens is full`);
    }
    const H = cfg.hiddenSize;
    const hd = cfg.headDim;
    const kvDim = cfg.numKvHeads * hd;
    const qDim = cfg.numHeads * hd;
    const I = cfg.intermediateSize;
    const pos0 = this.length;
    this.cache.ensure(pos0 + n);
    if (this.s.n < n) this.s = new Scratch(n, cfg);
    const { x, h, q, k, v, attn, gate, up } = this.s;
    for (let t = 0; t < n; t++) {
      const row = x.subarray(t * H, (t + 1) * H);
      embeddingRow(w.embed, tokens[t]!, H, row);
      if (cfg.embeddingScale !== 1) for (let i = 0; i < H; i++) row[i] = row[i]! * cfg.embeddingScale;
    }
    // Each position's cos / sin, computed once for all layers and heads.
    const cs = new Float64Array(n * hd);
    for (let t = 0; t < n; t++) ropeCosSin(this.rope, pos0 + t, cs, t * hd);
    const act = cfg.activation === "silu" ? silu : geluTanh;
    const rm = cfg.residualMultiplier;
    const norm = (gain: Float32Array) => {
      h.set(x.subarray(0, n * H));
      for (let t = 0; t < n; t++) rmsNorm(h, t * H, H, gain, cfg.rmsNormEps);
    };

    for (let l = 0; l < cfg.numLayers; l++) {
      const L = w.layers[l]!;
      norm(L.inputNorm);
      linearMany(L.q, qDim, H, h, n, q, L.qBias);
      linearMany(L.k, kvDim, H, h, n, k, L.kBias);
      linearMany(L.v, kvDim, H, h, n, v, L.vBias);
      for (let t = 0; t < n; t++) {
        for (let head = 0; head < cfg.numHeads; head++) {
          if (L.qNorm) rmsNorm(q, t * qDim + head * hd, hd, L.qNorm, cfg.rmsNormEps);
          applyRope(q, t * qDim + head * hd, hd / 2, cs, t * hd);
        }
        for (let head = 0; head < cfg.numKvHeads; head++) {
          if (L.kNorm) rmsNorm(k, t * kvDim + head * hd, hd, L.kNorm, cfg.rmsNormEps);
          applyRope(k, t * kvDim + head * hd, hd / 2, cs, t * hd);
        }
      }
      this.cache.store(l, pos0, n, k, v);
      this.cache.attend(l, pos0, n, q, attn);
      linearMany(L.o, H, qDim, attn, n, h, L.oBias);
      for (let i = 0; i < n * H; i++) x[i] = x[i]! + h[i]! * rm;

      norm(L.postNorm);
      linearMany(L.gate, I, H, h, n, gate, L.gateBias);
      linearMany(L.up, I, H, h, n, up, L.upBias);
      if (this.kernels && act === silu) this.kernels.siluMul(gate, up, n * I);
      else for (let i = 0; i < n * I; i++) gate[i] = act(gate[i]!) * up[i]!;
      linearMany(L.down, H, I, gate, n, h, L.downBias);
      for (let i = 0; i < n * H; i++) x[i] = x[i]! + h[i]! * rm;
    }
    this.length += n;
    for (let t = 0; t < n; t++) {
      if (!each && t < n - 1) continue;
      this.h.set(x.subarray(t * H, (t + 1) * H));
      rmsNorm(this.h, 0, H, w.finalNorm, cfg.rmsNormEps);
      each?.(t);
    }
  }

  /** Logits of the last stepped position, written at out[offset ..). */
  logits(out: Float32Array, offset = 0): void {
    const { vocabSize, hiddenSize, logitsScaling } = this.cfg;
    linear(this.w.lmHead, vocabSize, hiddenSize, this.h, out, offset);
    if (logitsScaling !== 1) for (let i = offset; i < offset + vocabSize; i++) out[i] = out[i]! / logitsScaling;
  }
}
