import { ApiError, normalizeRequest, validateRequest, type ChatCompletion, type ChatCompletionChunk, type NormalizedRequest } from "../protocol/index.js";
import type { LoadedModel } from "./model.js";
import type { LogitsProcessor, LogitsProcessorFactory } from "./processors.js";
import { buildPrompt } from "./prompt.js";
import { collectCompletion, streamChunks, type ResponseMeta } from "./responses.js";
import { runRequest, type RunEvent } from "./run.js";
import { Scheduler } from "./scheduler.js";

export interface EngineOptions {
  /** Processors requests may name in `logits_processors`. */
  logitsProcessors?: Record<string, LogitsProcessorFactory>;
  /** Most requests waiting for the model at once (429 past it). */
  maxQueue?: number;
  /** Cap the context window below the runner's. */
  contextWindow?: number;
  /** Grammar masks for a request's choices (structured outputs plug in here). */
  constraints?: (req: NormalizedRequest, model: LoadedModel) => (() => LogitsProcessor[]) | undefined;
}

interface Prepared {
  req: NormalizedRequest;
  model: LoadedModel;
  prompt: Int32Array;
  meta: ResponseMeta;
}

export const SYSTEM_FINGERPRINT = "webgpu-chat-engine-0.1";

/**
 * The runner-agnostic engine: validate, template, tokenize, queue, generate, respond. Lives in the
 * worker; one request runs at a time per engine.
 */
export class Engine {
  private readonly models = new Map<string, LoadedModel>();
  private readonly scheduler: Scheduler;
  private readonly active = new Map<string, AbortController>();

  constructor(private readonly opts: EngineOptions = {}) {
    this.scheduler = new Scheduler(opts.maxQueue);
  }

  addModel(model: LoadedModel): void {
    this.models.set(model.id, model);
  }

  async removeModel(id: string): Promise<void> {
    const m = this.models.get(id);
    this.models.delete(id);
    if (m) {
      m.tokenizer.dispose();
      await m.runner.dispose();
    }
  }

  modelIds(): string[] {
    return [...this.models.keys()];
  }

  /** The context window requests to `id` get (the runner's, capped by the engine option). */
  contextWindow(id: string): number {
    return this.contextWindowOf(this.models.get(id));
  }

  get queued(): number {
    return this.scheduler.queued;
  }

  /** Cancel a queued or running request by its request_id; false when none is active. */
  cancel(requestId: string): boolean {
    const c = this.active.get(requestId);
    c?.abort(new ApiError(`request ${requestId} was cancelled`, "invalid_request_error", "request_id", "cancelled"));
    return Boolean(c);
  }

  async create(body: unknown, signal?: AbortSignal): Promise<ChatCompletion> {
    const prep = this.prepare(body);
    return collectCompletion(this.run(prep, signal), prep.req, prep.meta);
  }

  /** Validates before returning, so a bad request throws here rather than mid-stream. */
  stream(body: unknown, signal?: AbortSignal): AsyncGenerator<ChatCompletionChunk> {
    const prep = this.prepare(body);
    return streamChunks(this.run(prep, signal), prep.req, prep.meta);
  }

  private prepare(body: unknown): Prepared {
    const parsed = validateRequest(body);
    const first = this.models.values().next().value;
    const model0 = parsed.model ? this.models.get(parsed.model) : first;
    const ctxWindow = this.contextWindowOf(model0);
    const req = normalizeRequest(parsed, {
      models: this.modelIds(),
      contextWindow: ctxWindow,
      vocabSize: model0?.runner.vocabSize ?? 0,
      logitsProcessors: Object.keys(this.opts.logitsProcessors ?? {}),
    });
    const model = this.models.get(req.model)!;
    if (req.stream && req.sampling.promptLogprobs !== null) {
      throw ApiError.invalid("prompt_logprobs", "prompt_logprobs is not available when stream is true (as in vLLM); drop one of them.", "conflicting_parameters");
    }
    const prompt = buildPrompt(model, req, ctxWindow);
    const lastMsg = req.template.messages.at(-1);
    const echo = req.echo && lastMsg?.role === "assistant" ? (lastMsg.content ?? "") : "";
    const id = req.requestId ?? `chatcmpl-${crypto.randomUUID().replaceAll("-", "")}`;
    if (req.requestId && this.active.has(req.requestId)) {
      throw new ApiError(`A request with request_id "${req.requestId}" is already running or queued; use a unique id.`, "conflict_error", "request_id", "duplicate_request_id");
    }
    return { req, model, prompt, meta: { id, created: Math.floor(Date.now() / 1000), model: model.id, systemFingerprint: SYSTEM_FINGERPRINT, prompt, echo } };
  }

  private contextWindowOf(model: LoadedModel | undefined): number {
    const runnerWindow = model?.runner.contextWindow ?? 0;
    return this.opts.contextWindow ? Math.min(this.opts.contextWindow, runnerWindow) : runnerWindow;
  }

  private async *run(prep: Prepared, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) controller.abort(signal.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (prep.req.requestId) this.active.set(prep.req.requestId, controller);
    let release: (() => void) | undefined;
    try {
      try {
        release = await this.scheduler.acquire(prep.req.priority, controller.signal);
      } catch (e) {
        if (!controller.signal.aborted) throw e;
      }
      if (!release) {
        // Aborted while queued: every choice ends as aborted, nothing was generated.
        yield { type: "prompt", cachedTokens: 0, promptLogprobs: null };
        for (let i = 0; i < prep.req.sampling.n; i++) yield { type: "choice", index: i, event: { type: "finish", text: "", reason: "abort", stopReason: null } };
        return;
      }
      yield* runRequest({
        model: prep.model,
        req: prep.req,
        prompt: prep.prompt,
        signal: controller.signal,
        contextWindow: this.contextWindowOf(prep.model),
        processors: this.opts.logitsProcessors ?? {},
        masks: this.opts.constraints?.(prep.req, prep.model),
      });
    } finally {
      release?.();
      signal?.removeEventListener("abort", onAbort);
      if (prep.req.requestId && this.active.get(prep.req.requestId) === controller) this.active.delete(prep.req.requestId);
    }
  }
}
