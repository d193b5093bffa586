import type { KvAttention } from "./attention.js";
import type { DecoderConfig } from "./config.js";
import type { WasmKernels } from "./kernels/wasm-kernels.js";

/**
 * The cache in the wasm kernels' memory (one block: each layer's keys, then its values), attention
 * by kernels.c's attend (SIMD float32 dots, the softmax as ops.ts rounds it). Grown by doubling up
 * to the context window; the old block is given back.
 */
export class WasmAttention implements KvAttention {
  private readonly kvDim: number;
  private readonly qDim: number;
  private capacity = 0;
  private cache = 0;
  /** q, attn (chunk × qDim floats each) and the scores (capacity floats). */
  private scratch = 0;
  private scratchBytes = 0;

  constructor(
    private readonly cfg: DecoderConfig,
    private readonly maxPositions: number,
    private readonly kernels: WasmKernels,
  ) {
    this.kvDim = cfg.numKvHeads * cfg.headDim;
    this.qDim = cfg.numHeads * cfg.headDim;
  }

  /** Whether the kernel handles this config (head dims in whole SIMD vectors). */
  static fits(cfg: DecoderConfig): boolean {
    return cfg.headDim % 4 === 0 && cfg.numHeads % cfg.numKvHeads === 0;
  }

  private layerBytes(): number {
    return this.capacity * this.kvDim * 4;
  }

  ensure(positions: number): void {
    if (positions <= this.capacity) return;
    const cap = Math.min(this.maxPositions, Math.max(64, this.capacity * 2, positions));
    const L = this.cfg.numLayers;
    const at = this.kernels.alloc(2 * L * cap * this.kvDim * 4);
    if (this.capacity) {
      const old = this.layerBytes();
      const bytes = this.kernels.bytes(0, this.kernels.memory.buffer.byteLength);
      for (let i = 0; i < 2 * L; i++)
        bytes.copyWithin(at + i * cap * this.kvDim * 4, this.cache + i * old, this.cache + (i + 1) * old);
      this.kernels.free(this.cache, 2 * L * old);
    }
    this.cache = at;
    this.capacity = cap;
  }

  private keys(l: number): number {
    return this.cache + 2 * l * this.layerBytes();
  }

  store(l: number, pos0: number, n: number, k: Float32Array, v: Float32Array): void {
    const kv = this.kvDim;
    this.kernels.f32(this.keys(l) + pos0 * kv * 4, n * kv).set(k.subarray(0, n * kv));
    this.kernels.f32(this.keys(l) + this.layerBytes() + pos0 * kv * 4, n * kv).set(v.subarray(0, n * kv));
  }

  attend(l: number, pos0: number, n: number, q: Float32Array, attn: Float32Array): void {
    const { cfg, qDim } = this;
    const need = (2 * n * qDim + this.capacity) * 4;
    if (need > this.scratchBytes) {
      if (this.scratchBytes) this.kernels.free(this.scratch, this.scratchBytes);
      this.scratchBytes = need;
      this.scratch = this.kernels.alloc(need);
    }
    const qAt = this.scratch;
    const outAt = qAt + n * qDim * 4;
    this.kernels.f32(qAt, n * qDim).set(q.subarray(0, n * qDim));
    const k = this.keys(l);
    const group = cfg.numHeads / cfg.numKvHeads;
    const window = cfg.slidingWindows[l] ?? 0;
    const scores = outAt + n * qDim * 4;
    this.kernels.attend(
      qAt,
      n,
      pos0,
      k,
      k + this.layerBytes(),
      this.kvDim,
      cfg.numHeads,
      group,
      cfg.headDim,
      cfg.attentionScale,
      window,
      scores,
      outAt,
    );
    attn.set(this.kernels.f32(outAt, n * qDim));
  }
}
