import { ApiError, toApiError, type ChatCompletion, type ChatCompletionChunk } from "../protocol/index.js";
import { Engine, type EngineOptions } from "../engine/engine.js";
import { assembleModel, loadModelFiles } from "../engine/model.js";
import { ReferenceRunner } from "../runners/reference/index.js";
import type { ProgressCallback } from "../runners/runner.js";

/**
 * What the worker exposes over Comlink. Every method rejects with an ApiError only, so the page
 * always gets type, param, code and status.
 */
export class EngineHost {
  private readonly engine: Engine;
  private readonly streams = new Map<string, AbortController>();

  constructor(opts: EngineOptions = {}) {
    this.engine = new Engine(opts);
  }

  /** Load a Hugging Face safetensors model on the reference CPU runner. */
  async loadReference(id: string, baseUrl: string, opts: { contextWindow?: number; onProgress?: ProgressCallback } = {}): Promise<string[]> {
    return guard(async () => {
      const [runner, files] = await Promise.all([
        ReferenceRunner.load(baseUrl, { contextWindow: opts.contextWindow, onProgress: opts.onProgress }),
        loadModelFiles(baseUrl),
      ]);
      this.engine.addModel(await assembleModel(id, runner, files));
      return this.engine.modelIds();
    });
  }

  async unload(id: string): Promise<void> {
    return guard(() => this.engine.removeModel(id));
  }

  models(): string[] {
    return this.engine.modelIds();
  }

  create(body: unknown): Promise<ChatCompletion> {
    return guard(() => this.engine.create(body));
  }

  /**
   * Stream chunks to `onChunk`, awaiting it before the next token (back-pressure across the worker
   * boundary). `handle` names the stream for abort().
   */
  async stream(body: unknown, handle: string, onChunk: (c: ChatCompletionChunk) => unknown): Promise<void> {
    return guard(async () => {
      const controller = new AbortController();
      this.streams.set(handle, controller);
      try {
        for await (const chunk of this.engine.stream(body, controller.signal)) await onChunk(chunk);
      } finally {
        this.streams.delete(handle);
      }
    });
  }

  abort(handle: string): boolean {
    const c = this.streams.get(handle);
    c?.abort(new ApiError("aborted by the client", "invalid_request_error", null, "aborted"));
    return Boolean(c);
  }

  cancel(requestId: string): boolean {
    return this.engine.cancel(requestId);
  }

  queued(): number {
    return this.engine.queued;
  }
}

async function guard<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toApiError(e);
  }
}
