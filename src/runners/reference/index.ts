import type { ModelRunner } from "../runner.js";
import type { ProgressCallback } from "../../models/progress.js";
import { ConfigError, parseConfig, type DecoderConfig } from "./config.js";
import { Decoder } from "./decoder.js";
import { fetchBytes, FetchError } from "../../models/fetch-file.js";
import { SafetensorsError, SafetensorsFile } from "./safetensors.js";
import { INDEX_FILE, parseShardIndex, ShardedSafetensors } from "./sharded.js";
import { loadWeights, type TensorSource } from "./weights.js";
import { wasmKernels, type WasmKernels } from "./kernels/wasm-kernels.js";
import { inKernels } from "./wasm-source.js";

export { ConfigError, parseConfig, type DecoderConfig } from "./config.js";
export { SafetensorsError, SafetensorsFile, encodeSafetensors } from "./safetensors.js";
export { FetchError } from "../../models/fetch-file.js";

export interface ReferenceLoadOptions {
  onProgress?: ProgressCallback;
  /** Cap the context window below the model's max_position_embeddings (saves KV memory). */
  contextWindow?: number;
  fetch?: typeof fetch;
  /** null: weights stay in JavaScript on the scalar loops; default: wasm SIMD kernels. */
  kernels?: WasmKernels | null;
}

/** Prompt positions fed through the decoder together (128: the kernels' float tiles ran a 256-token prompt about 1.25x faster than with 32). */
const PREFILL_CHUNK = 128;

/** A sharded checkpoint in memory: the parsed `model.safetensors.index.json` and each shard's bytes by file name. */
export interface ShardedBytes {
  index: unknown;
  shards: Readonly<Record<string, Uint8Array>>;
}

/** Exact CPU implementation of Llama / Mistral / Qwen2 / Qwen3 decoders; the runner CI and fallback pages use. */
export class ReferenceRunner implements ModelRunner {
  readonly vocabSize: number;
  readonly contextWindow: number;
  private readonly decoder: Decoder;

  constructor(
    readonly config: DecoderConfig,
    weights: TensorSource,
    contextWindow?: number,
  ) {
    this.vocabSize = config.vocabSize;
    this.contextWindow = Math.min(contextWindow ?? config.maxPositionEmbeddings, config.maxPositionEmbeddings);
    this.decoder = new Decoder(config, loadWeights(config, weights), this.contextWindow);
  }

  /** Build from an in-memory `config.json` object and `model.safetensors` bytes or a sharded checkpoint. */
  static fromBytes(
    configJson: unknown,
    weights: Uint8Array | ShardedBytes,
    opts: { contextWindow?: number; kernels?: WasmKernels } = {},
  ): ReferenceRunner {
    const config = parseConfig(configJson);
    const source =
      weights instanceof Uint8Array
        ? SafetensorsFile.parse(weights, "model.safetensors")
        : ShardedSafetensors.parse(parseShardIndex(weights.index), weights.shards);
    return new ReferenceRunner(config, opts.kernels ? inKernels(source, opts.kernels) : source, opts.contextWindow);
  }

  /**
   * Load `config.json` and the weights from a model folder URL: `model.safetensors`, or when that is
   * missing, `model.safetensors.index.json` and the shards it lists (progress is reported per shard).
   * Weight matrices go into the wasm kernels' memory unless `kernels` is null.
   */
  static async load(baseUrl: string, opts: ReferenceLoadOptions = {}): Promise<ReferenceRunner> {
    const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    const fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
    const configBytes = await fetchBytes(base + "config.json", fetchFn, opts.onProgress);
    let configJson: unknown;
    try {
      configJson = JSON.parse(new TextDecoder().decode(configBytes));
    } catch (e) {
      throw new ConfigError(`${base}config.json is not valid JSON: ${(e as Error).message}`);
    }
    const config = parseConfig(configJson, base + "config.json");
    const { source, bytes } = await fetchWeights(base, fetchFn, opts.onProgress);
    const kernels = opts.kernels === null ? undefined : (opts.kernels ?? (await wasmKernels()));
    const runner = new ReferenceRunner(config, kernels ? inKernels(source(), kernels) : source(), opts.contextWindow);
    opts.onProgress?.({ stage: "ready", file: "", loaded: bytes, total: bytes, text: "ready" });
    return runner;
  }

  async forward(tokens: Int32Array, opts: { allLogits?: boolean } = {}): Promise<Float32Array> {
    if (tokens.length === 0) throw new RangeError("forward needs at least one token");
    const free = this.contextWindow - this.decoder.position;
    if (tokens.length > free) {
      throw new RangeError(
        `${tokens.length} tokens do not fit: the context window is ${this.contextWindow} and ${this.decoder.position} are cached`,
      );
    }
    for (const t of tokens) {
      // Check every id before touching the cache, so a bad request leaves it as it was.
      if (t < 0 || t >= this.vocabSize) throw new RangeError(`token id ${t} is outside the vocabulary [0, ${this.vocabSize})`);
    }
    const V = this.vocabSize;
    const out = new Float32Array(opts.allLogits ? tokens.length * V : V);
    // Chunks: each weight matrix is read once per chunk of the prompt.
    for (let at = 0; at < tokens.length; at += PREFILL_CHUNK) {
      const chunk = tokens.subarray(at, at + PREFILL_CHUNK);
      this.decoder.stepMany(chunk, opts.allLogits ? (i) => this.decoder.logits(out, (at + i) * V) : undefined);
    }
    if (!opts.allLogits) this.decoder.logits(out, 0);
    return out;
  }

  reset(): void {
    this.decoder.reset();
  }

  cachedTokens(): number {
    return this.decoder.position;
  }

  truncate(length: number): void {
    this.decoder.truncate(length);
  }

  async dispose(): Promise<void> {
    this.decoder.reset();
  }
}

/** Fetch `model.safetensors`, or the sharded checkpoint when the single file is missing (404). */
async function fetchWeights(
  base: string,
  fetchFn: typeof fetch,
  onProgress?: ProgressCallback,
): Promise<{ source: () => TensorSource; bytes: number }> {
  let single: Uint8Array;
  try {
    single = await fetchBytes(base + "model.safetensors", fetchFn, onProgress);
  } catch (e) {
    if (!(e instanceof FetchError) || e.status !== 404) throw e;
    return fetchShards(base, fetchFn, onProgress, e);
  }
  reading(onProgress, "model.safetensors", single.byteLength);
  return { source: () => SafetensorsFile.parse(single, base + "model.safetensors"), bytes: single.byteLength };
}

/** The sharded checkpoint of a folder whose single `model.safetensors` is `missing`. */
async function fetchShards(
  base: string,
  fetchFn: typeof fetch,
  onProgress: ProgressCallback | undefined,
  missing: FetchError,
): Promise<{ source: () => TensorSource; bytes: number }> {
  let indexBytes: Uint8Array;
  try {
    indexBytes = await fetchBytes(base + INDEX_FILE, fetchFn, onProgress);
  } catch (e) {
    if (!(e instanceof FetchError) || e.status !== 404) throw e;
    throw new FetchError(`${missing.message}; no sharded ${INDEX_FILE} beside it either`, missing.url, 404);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(indexBytes));
  } catch (e) {
    throw new SafetensorsError(`${base}${INDEX_FILE} is not valid JSON: ${(e as Error).message}`, base + INDEX_FILE);
  }
  const index = parseShardIndex(json, base + INDEX_FILE);
  const shards: Record<string, Uint8Array> = {};
  let total = 0;
  for (const [i, name] of index.shards.entries()) {
    const tag = ` (shard ${i + 1} of ${index.shards.length})`;
    shards[name] = await fetchBytes(base + name, fetchFn, onProgress && ((p) => onProgress({ ...p, text: p.text + tag })));
    total += shards[name].byteLength;
  }
  reading(onProgress, INDEX_FILE, total);
  return { source: () => ShardedSafetensors.parse(index, shards, base + INDEX_FILE, base), bytes: total };
}

function reading(onProgress: ProgressCallback | undefined, file: string, bytes: number): void {
  onProgress?.({ stage: "parse", file, loaded: bytes, total: bytes, text: "reading weights" });
}
