import type {
  AppConfig,
  InitProgressReport,
  LogitProcessor,
  MLCEngineConfig,
  ModelRecord as WebLLMRecord,
} from "@mlc-ai/web-llm";
import { ApiError } from "../../protocol/index.js";
import { fetchJson } from "../fetch-json.js";
import { modelFilesUrl, type ModelRecord } from "../records.js";
import type { LoadProgress, ModelRunner, ProgressCallback } from "../runner.js";
import { checkWebGpu } from "../webgpu-check.js";

/** The part of web-llm's `MLCEngine` this runner uses (a stand-in with these signatures tests it). */
export interface MLCEngineLike {
  reload(modelId: string): Promise<void>;
  forwardTokensAndSample(inputIds: number[], isPrefill: boolean): Promise<number>;
  resetChat(keepStats?: boolean): Promise<void>;
  unload(): Promise<void>;
}

export interface WebLLMLoadOptions {
  onProgress?: ProgressCallback;
  /** Where web-llm caches weights and libraries (default: the Cache API). */
  cacheBackend?: AppConfig["cacheBackend"];
  /** Records to suggest alternatives from when the adapter lacks a feature (web-llm's prebuilt list). */
  knownModels?: readonly ModelRecord[];
  gpu?: GPU;
  fetch?: typeof fetch;
  /** Runs after the WebGPU and config checks, before web-llm downloads anything (fetch tokenizer files here). */
  beforeDownload?: (filesUrl: string) => Promise<void>;
  /** Make the MLCEngine (default: `new MLCEngine(config)` from @mlc-ai/web-llm). */
  createEngine?: (config: MLCEngineConfig) => MLCEngineLike | Promise<MLCEngineLike>;
}

interface MlcChatConfig {
  vocab_size?: number;
  context_window_size?: number;
  sliding_window_size?: number;
  conv_template?: { stop_token_ids?: number[] };
}

/**
 * web-llm's WebGPU pipeline as a runner: `forwardTokensAndSample` runs the model, a registered
 * LogitProcessor hands us the logits on the CPU, and the engine's loop picks the token (web-llm's
 * own pick is ignored; the next call feeds ours). The KV cache is web-llm's; we count what it holds.
 */
export class WebLLMRunner implements ModelRunner {
  private held = 0;
  private resetting: Promise<void> = Promise.resolve();

  private constructor(
    private readonly engine: MLCEngineLike,
    private readonly capture: LogitCapture,
    readonly vocabSize: number,
    readonly contextWindow: number,
    /** Stop ids from mlc-chat-config.json (the model's EOS set). */
    readonly stopTokenIds: number[],
  ) {}

  /** Check WebGPU, read the model's config, then let web-llm download, cache and compile it. */
  static async load(record: ModelRecord, opts: WebLLMLoadOptions = {}): Promise<WebLLMRunner> {
    if (!record.model_lib)
      throw ApiError.invalid(
        "model.model_lib",
        `Model record "${record.model_id}" has no model_lib: a web-llm model needs the URL of its compiled .wasm library.`,
        "missing_model_lib",
      );
    await checkWebGpu(record, opts.knownModels ?? [], opts.gpu ?? (globalThis.navigator as Navigator | undefined)?.gpu);
    const base = modelFilesUrl(record.model, globalThis.location?.href);
    const cfg = await fetchJson<MlcChatConfig>(base + "mlc-chat-config.json", opts.fetch);
    const vocabSize = cfg.vocab_size ?? 0;
    if (!(vocabSize > 0))
      throw new ApiError({
        type: "server_error",
        message: `${base}mlc-chat-config.json has no vocab_size.`,
        param: "model",
        code: "bad_model_config",
      });
    const own =
      cfg.context_window_size && cfg.context_window_size > 0 ? cfg.context_window_size : (cfg.sliding_window_size ?? 4096);
    const contextWindow = Math.min(own, record.context_window ?? own);
    await opts.beforeDownload?.(base);

    const capture = new LogitCapture(vocabSize);
    const webllmRecord: WebLLMRecord = {
      model: record.model,
      model_id: record.model_id,
      model_lib: record.model_lib,
      overrides: { ...record.overrides, ...(record.context_window ? { context_window_size: contextWindow } : {}) },
      required_features: record.required_features,
      buffer_size_required_bytes: record.buffer_size_required_bytes,
      vram_required_MB: record.vram_required_MB,
      low_resource_required: record.low_resource_required,
    };
    const config: MLCEngineConfig = {
      appConfig: { model_list: [webllmRecord], ...(opts.cacheBackend ? { cacheBackend: opts.cacheBackend } : {}) },
      initProgressCallback: (r) => opts.onProgress?.(progressOf(r, record.model_id)),
      logitProcessorRegistry: new Map<string, LogitProcessor>([[record.model_id, capture]]),
    };
    const engine = await (opts.createEngine ?? defaultEngine)(config);
    await engine.reload(record.model_id);
    return new WebLLMRunner(engine, capture, vocabSize, contextWindow, cfg.conv_template?.stop_token_ids ?? []);
  }

  async forward(tokens: Int32Array, opts: { allLogits?: boolean } = {}): Promise<Float32Array> {
    await this.resetting;
    if (tokens.length === 0) throw new Error("forward needs at least one token");
    if (!opts.allLogits) return this.step(tokens);
    // web-llm returns the last position's logits only, so every position is its own step.
    const out = new Float32Array(tokens.length * this.vocabSize);
    for (let i = 0; i < tokens.length; i++) out.set(await this.step(tokens.subarray(i, i + 1)), i * this.vocabSize);
    return out;
  }

  private async step(tokens: Int32Array): Promise<Float32Array> {
    this.capture.logits = null;
    await this.engine.forwardTokensAndSample(Array.from(tokens), tokens.length > 1);
    this.held += tokens.length;
    const logits = this.capture.logits as Float32Array | null;
    if (!logits) throw new Error("web-llm ran the model without calling the logit processor registered for it");
    if (logits.length !== this.vocabSize)
      throw new Error(`web-llm gave ${logits.length} logits; mlc-chat-config.json says vocab_size ${this.vocabSize}`);
    return logits;
  }

  reset(): void {
    this.held = 0;
    this.resetting = this.engine.resetChat();
  }

  cachedTokens(): number {
    return this.held;
  }

  async dispose(): Promise<void> {
    await this.resetting.catch(() => {});
    await this.engine.unload();
  }
}

/** Registered with web-llm for the model: keeps a copy of each step's logits, changes nothing. */
class LogitCapture implements LogitProcessor {
  logits: Float32Array | null = null;
  constructor(private readonly vocabSize: number) {}
  processLogits = (logits: Float32Array): Float32Array => {
    this.logits = logits.slice(0, this.vocabSize);
    return logits;
  };
  processSampledToken = (): void => {};
  resetState = (): void => {};
}

async function defaultEngine(config: MLCEngineConfig): Promise<MLCEngineLike> {
  const { MLCEngine } = await import("@mlc-ai/web-llm");
  return new MLCEngine(config);
}

/** web-llm reports one 0..1 fraction with a sentence; name the stage from the sentence. */
export function progressOf(r: InitProgressReport, file: string): LoadProgress {
  const stage: LoadProgress["stage"] =
    r.progress >= 1 && /finish/i.test(r.text) ? "ready" : /fetch|download|cache\[/i.test(r.text) ? "download" : "compile";
  return { stage, file, loaded: r.progress, total: 1, text: r.text };
}
