import type { ModelRunner, ProgressCallback } from "../runner.js";
import { ConfigError, parseConfig, type DecoderConfig } from "./config.js";
import { Decoder } from "./decoder.js";
import { fetchBytes } from "../fetch-file.js";
import { SafetensorsFile } from "./safetensors.js";
import { loadWeights } from "./weights.js";

export { ConfigError, parseConfig, type DecoderConfig } from "./config.js";
export { SafetensorsError, SafetensorsFile, encodeSafetensors } from "./safetensors.js";
export { FetchError } from "../fetch-file.js";

export interface ReferenceLoadOptions {
  onProgress?: ProgressCallback;
  /** Cap the context window below the model's max_position_embeddings (saves KV memory). */
  contextWindow?: number;
  fetch?: typeof fetch;
}

/** Exact CPU implementation of Llama / Qwen2 / Qwen3 decoders; the runner CI and fallback pages use. */
export class ReferenceRunner implements ModelRunner {
  readonly vocabSize: number;
  readonly contextWindow: number;
  private readonly decoder: Decoder;

  constructor(
    readonly config: DecoderConfig,
    weights: SafetensorsFile,
    contextWindow?: number,
  ) {
    this.vocabSize = config.vocabSize;
    this.contextWindow = Math.min(contextWindow ?? config.maxPositionEmbeddings, config.maxPositionEmbeddings);
    this.decoder = new Decoder(config, loadWeights(config, weights), this.contextWindow);
  }

  /** Build from an in-memory `config.json` object and safetensors bytes. */
  static fromBytes(configJson: unknown, safetensors: Uint8Array, opts: { contextWindow?: number } = {}): ReferenceRunner {
    const config = parseConfig(configJson);
    return new ReferenceRunner(config, SafetensorsFile.parse(safetensors, "model.safetensors"), opts.contextWindow);
  }

  /** Load `config.json` and `model.safetensors` from a model folder URL. */
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
    const bytes = await fetchBytes(base + "model.safetensors", fetchFn, opts.onProgress);
    opts.onProgress?.({
      stage: "parse",
      file: "model.safetensors",
      loaded: bytes.byteLength,
      total: bytes.byteLength,
      text: "reading weights",
    });
    const runner = new ReferenceRunner(config, SafetensorsFile.parse(bytes, base + "model.safetensors"), opts.contextWindow);
    opts.onProgress?.({ stage: "ready", file: "", loaded: bytes.byteLength, total: bytes.byteLength, text: "ready" });
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
    for (let i = 0; i < tokens.length; i++) {
      this.decoder.step(tokens[i]!);
      if (opts.allLogits) this.decoder.logits(out, i * V);
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
