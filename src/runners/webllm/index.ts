import type { AppConfig, LogitProcessor, MLCEngineConfig } from "@mlc-ai/web-llm";
import { ApiError } from "../../protocol/index.js";
import type { WebLLMModelRecord } from "./record.js";
import type { ModelRunner } from "../runner.js";
import type { ProgressCallback } from "../../models/progress.js";
import { defaultEngine, pipelines, type MLCEngineLike } from "./engine.js";
import { deviceLost, reloadFailed, unloaded } from "../errors.js";
import { PROMPT_LOGPROBS_BYTES, downloadFailed, isDeviceLossError, loadAborted, promptLogprobsTooLong } from "./errors.js";
import { forwardLogits, pipelineInternals, popTokens, type PipelineInternals } from "./pipeline.js";
import { progressOf } from "./progress.js";
import { LogitCapture, publicStep } from "./public-path.js";
import { NEUTRAL_SAMPLING } from "./record.js";
import { resolveModel } from "./resolve.js";

export { progressOf } from "./progress.js";
export type { MLCEngineLike } from "./engine.js";

export interface WebLLMLoadOptions {
  onProgress?: ProgressCallback;
  /** Where web-llm caches weights and libraries (default: the Cache API). */
  cacheBackend?: AppConfig["cacheBackend"];
  /** Records to suggest alternatives from when the adapter lacks a feature (web-llm's prebuilt list). */
  knownModels?: readonly WebLLMModelRecord[];
  gpu?: GPU;
  fetch?: typeof fetch;
  /** What relative `model` / `model_lib` URLs resolve against (default: location.href). */
  baseUrl?: string;
  /** Runs after the WebGPU and config checks, before web-llm downloads anything (fetch tokenizer files here). */
  beforeDownload?: (filesUrl: string) => Promise<void>;
  /** "public": always web-llm's forwardTokensAndSample + LogitProcessor (to compare; default: the pipeline path when present). */
  path?: "pipeline" | "public";
  /** Make the MLCEngine (default: `new MLCEngine(config)` from @mlc-ai/web-llm). */
  createEngine?: (config: MLCEngineConfig) => MLCEngineLike | Promise<MLCEngineLike>;
}

/**
 * web-llm's WebGPU pipeline as a runner. Each step runs the model and reads the last position's
 * logits back once (pipeline.ts); the engine's loop picks the token. The KV cache is web-llm's:
 * the runner keeps the token history it holds, pops a diverging suffix, and after a GPU device loss
 * reloads the model and re-feeds the history. Calls run one at a time, so an unload waits for a
 * forward in flight.
 */
export class WebLLMRunner implements ModelRunner {
  /** Tokens the cache holds as far as the engine knows; the first `inKv` are in web-llm's KV cache. */
  private history: number[] = [];
  private inKv = 0;
  private pipeline: PipelineInternals | null = null;
  private tracked: unknown = undefined;
  private lost = false;
  private disposed = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Most prompt tokens a prompt_logprobs request may have (PROMPT_LOGPROBS_BYTES of logits). */
  readonly maxPromptLogprobsTokens: number;

  private constructor(
    private engine: MLCEngineLike,
    /** Makes a fresh MLCEngine (after a device loss the old one's state is not trusted). */
    private readonly makeEngine: () => Promise<MLCEngineLike>,
    private readonly capture: LogitCapture,
    private readonly modelId: string,
    readonly vocabSize: number,
    /** The window the engine enforces: what web-llm's KV cache holds (see window.ts). */
    readonly contextWindow: number,
    /** Stop ids from mlc-chat-config.json (the model's EOS set). */
    readonly stopTokenIds: number[],
    private readonly lowLevel: boolean,
  ) {
    this.maxPromptLogprobsTokens = Math.floor(PROMPT_LOGPROBS_BYTES / (4 * vocabSize));
  }

  /** Check WebGPU, read the model's config, then let web-llm download, cache and compile it. */
  static async load(record: WebLLMModelRecord, opts: WebLLMLoadOptions = {}): Promise<WebLLMRunner> {
    const { rec, base, file, webllm, contextWindow } = await resolveModel(record, opts);
    await opts.beforeDownload?.(base);
    const vocabSize = file.vocab_size;
    const capture = new LogitCapture(vocabSize);
    const config: MLCEngineConfig = {
      appConfig: { model_list: [webllm], ...(opts.cacheBackend ? { cacheBackend: opts.cacheBackend } : {}) },
      initProgressCallback: (r) => opts.onProgress?.(progressOf(r, rec.model_id)),
      logitProcessorRegistry: new Map<string, LogitProcessor>([[rec.model_id, capture]]),
    };
    const make = async () => (opts.createEngine ?? defaultEngine)(config);
    const engine = await make();
    const stops = file.conv_template?.stop_token_ids ?? [];
    const runner = new WebLLMRunner(engine, make, capture, rec.model_id, vocabSize, contextWindow, stops, opts.path !== "public");
    try {
      await runner.reloadEngine();
    } catch (e) {
      await engine.unload().catch(() => {});
      throw downloadFailed(rec.model_id, e) ?? e;
    }
    return runner;
  }

  /** True when the lower-level path is in use (web-llm's pipeline has every member pipeline.ts needs). */
  get fastPath(): boolean {
    return this.pipeline !== null;
  }

  forward(tokens: Int32Array, opts: { allLogits?: boolean } = {}): Promise<Float32Array> {
    if (tokens.length === 0) return Promise.reject(new RangeError("forward needs at least one token"));
    // Calls made before dispose() still run (it waits for them); later ones are refused.
    if (this.disposed) return Promise.reject(unloaded(this.modelId));
    const ids = Array.from(tokens);
    return this.serial(async () => {
      if (opts.allLogits && ids.length > this.maxPromptLogprobsTokens)
        throw promptLogprobsTooLong(ids.length, this.vocabSize, this.maxPromptLogprobsTokens);
      if (this.history.length + ids.length > this.contextWindow)
        throw new RangeError(
          `${ids.length} tokens do not fit: the context window is ${this.contextWindow} and ${this.history.length} are cached`,
        );
      for (const t of ids)
        if (!(t >= 0 && t < this.vocabSize))
          throw new RangeError(`token id ${t} is outside the vocabulary [0, ${this.vocabSize})`);
      await this.ensureLoaded();
      try {
        if (!opts.allLogits) return await this.step(ids);
        // web-llm gives the last position's logits only, so every position is its own step.
        const out = new Float32Array(ids.length * this.vocabSize);
        for (let i = 0; i < ids.length; i++) out.set(await this.step(ids.slice(i, i + 1)), i * this.vocabSize);
        return out;
      } catch (e) {
        throw await this.afterFailure(e);
      }
    });
  }

  reset(): void {
    this.history = [];
    void this.serial(async () => {
      this.history = [];
      await this.dropKv();
    });
  }

  /** Keep the first `length` tokens: pop the rest from the KV cache, or re-feed the prefix when it cannot pop. */
  truncate(length: number): void {
    if (length >= this.history.length) return;
    this.history.length = length;
    void this.serial(async () => {
      this.history.length = Math.min(this.history.length, length);
      if (this.inKv <= length) return;
      if (this.pipeline && !this.lost && popTokens(this.pipeline, this.inKv - length)) this.inKv = length;
      else await this.dropKv(); // the kept prefix is re-fed with the next tokens
    });
  }

  cachedTokens(): number {
    return this.history.length;
  }

  /** Unload web-llm's model once the call in flight (if any) is done; later calls get a 404 model_unloaded. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.engine.unload();
  }

  /** One web-llm forward of the not-yet-cached history plus `ids`; the last position's logits. */
  private async step(ids: number[]): Promise<Float32Array> {
    const feed = this.inKv < this.history.length ? this.history.slice(this.inKv).concat(ids) : ids;
    const logits = this.pipeline
      ? await forwardLogits(this.pipeline, feed, this.vocabSize)
      : await publicStep(this.engine, this.capture, this.tracked, feed, this.vocabSize);
    this.history.push(...ids);
    this.inKv = this.history.length;
    return logits;
  }

  /** After a failed step the cache contents are unknown: forget them; a vanished pipeline means the device was lost. */
  private async afterFailure(e: unknown): Promise<unknown> {
    this.history = [];
    this.inKv = 0;
    if (this.pipelineGone() || isDeviceLossError(e)) {
      this.lost = true;
      return deviceLost(this.modelId, e);
    }
    await this.dropKv();
    return e;
  }

  /**
   * After a device loss (web-llm's handler unloads every model, and that unload can itself fail on
   * the destroyed device), drop the old MLCEngine and load the model on a new one; the history is
   * re-fed next step.
   */
  private async ensureLoaded(): Promise<void> {
    if (!this.lost && !this.pipelineGone()) return;
    this.lost = true;
    this.inKv = 0;
    await this.engine.unload().catch(() => {});
    try {
      this.engine = await this.makeEngine();
      await this.reloadEngine();
    } catch (e) {
      await this.engine.unload().catch(() => {});
      throw e instanceof ApiError ? e : reloadFailed(this.modelId, e);
    }
  }

  private async reloadEngine(): Promise<void> {
    await this.engine.reload(this.modelId, NEUTRAL_SAMPLING);
    const map = pipelines(this.engine);
    this.tracked = map?.get(this.modelId);
    // web-llm's reload returns quietly when an unload aborted it.
    if (map && this.tracked === undefined) throw loadAborted(this.modelId);
    this.pipeline = this.lowLevel ? pipelineInternals(this.tracked) : null;
    this.lost = false;
    this.inKv = 0;
  }

  /** Empty web-llm's KV cache (the history to keep, if any, is re-fed next step). */
  private async dropKv(): Promise<void> {
    this.inKv = 0;
    if (this.lost || this.pipelineGone()) return; // a reload starts empty
    try {
      if (this.pipeline) this.pipeline.resetChat();
      else await this.engine.resetChat();
    } catch {
      this.lost = true; // its state is unknown: reload on the next step
    }
  }

  private pipelineGone(): boolean {
    const map = pipelines(this.engine);
    return map !== null && map.get(this.modelId) !== this.tracked;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const result = this.queue.then(op);
    this.queue = result.catch(() => {});
    return result;
  }
}
