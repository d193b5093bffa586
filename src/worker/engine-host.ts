import { ApiError, type ChatCompletion } from "../protocol/index.js";
import { Engine, type EngineOptions } from "../engine/engine.js";
import type { ModelSpec } from "../runners/registry.js";
import type { ProgressCallback } from "../models/progress.js";
import type { Backend } from "../backends/backend.js";
import { requestedModel } from "../protocol/default-model.js";
import { loadModel, type LoadOptions } from "./load-model.js";
import { sendChunks } from "./send-chunks.js";
import { guard, release } from "./comlink-calls.js";
import { openSink, type ChunkSink } from "./chunk-sink.js";

/** A loaded model as /v1/models describes it. */
export interface ModelInfo {
  id: string;
  /** Undefined when the backend serving it does not say (a remote server). */
  contextWindow?: number;
}

/** Serializable engine settings a page may pass (processors are functions, so they stay worker-side). */
export type HostOptions = Pick<EngineOptions, "limits" | "contextWindow" | "generationConfig">;

/**
 * What the worker exposes over Comlink. Every method rejects with an ApiError only, so the page
 * always gets type, param, code and status. Requests go to the backend serving their model: the
 * local Engine, or one a runner plugin loaded as a whole backend (a remote server).
 */
export class EngineHost {
  private engine: Engine;
  /** Backends loaded besides the engine, each serving the ids it lists. */
  private readonly others: Backend[] = [];
  /** Requests the page can abort, by handle. */
  private readonly requests = new Map<string, AbortController>();

  constructor(private readonly opts: EngineOptions = {}) {
    this.engine = new Engine(opts);
  }

  /** Apply page settings; only before any model is loaded. */
  configure(opts: HostOptions): void {
    if (this.models().length)
      throw new ApiError({
        type: "conflict_error",
        message: "configure() must come before any model is loaded.",
        code: "engine_busy",
      });
    this.engine = new Engine({ ...this.opts, ...opts });
  }

  /**
   * Hold a Web Lock for the life of this worker: the page queues for the same lock and is granted
   * it the moment the worker dies (terminated, crashed, out of memory), whatever it was doing.
   */
  holdLock(name: string): Promise<void> {
    return new Promise((held) => {
      void navigator.locks.request(name, () => {
        held();
        return new Promise<never>(() => {});
      });
    });
  }

  /** Load a model by id or record (web-llm or reference runner); resolves with the loaded ids. */
  async load(spec: ModelSpec, opts: Omit<LoadOptions, "onProgress"> = {}, onProgress?: ProgressCallback): Promise<string[]> {
    const endLoad = this.engine.beginLoad(typeof spec === "string" ? spec : spec.model_id);
    return guard(async () => {
      const loaded = await loadModel(spec, { ...opts, onProgress });
      const ids = "model" in loaded ? [loaded.model.id] : loaded.backend.modelIds();
      for (const id of ids) await this.unloadId(id);
      if ("model" in loaded) this.engine.addModel(loaded.model);
      else this.others.push(loaded.backend);
      return this.models();
    }).finally(() => {
      endLoad();
      release(onProgress);
    });
  }

  async unload(id: string): Promise<void> {
    return guard(() => this.unloadId(id));
  }

  /** Unload a local model, or dispose the backend serving `id`. */
  private async unloadId(id: string): Promise<void> {
    const other = this.others.findIndex((b) => b.modelIds().includes(id));
    if (other >= 0) await this.others.splice(other, 1)[0]!.dispose();
    else await this.engine.removeModel(id);
  }

  private backends(): Backend[] {
    return [this.engine, ...this.others];
  }

  models(): string[] {
    return this.backends().flatMap((b) => b.modelIds());
  }

  modelInfo(): ModelInfo[] {
    return this.backends().flatMap((b) => b.modelIds().map((id) => ({ id, contextWindow: b.contextWindow(id) })));
  }

  /** The backend serving the request's model; the engine when none does (it answers the typed 404). */
  private backendFor(body: unknown): Backend {
    const id = requestedModel((body as { model?: unknown } | null)?.model, this.models());
    return this.others.find((b) => id !== undefined && b.modelIds().includes(id)) ?? this.engine;
  }

  /** Non-streamed completion; `handle` (optional) names it for abort(). */
  create(body: unknown, handle?: string): Promise<ChatCompletion> {
    return guard(() => this.abortable(handle, (signal) => this.backendFor(body).create(body, signal)));
  }

  /**
   * Stream chunks to `onChunks` (a port or a callback: chunk-sink.ts), a few in flight at a time
   * and those ready together in one message (back-pressure across the worker boundary: see
   * sendChunks). `onStart` runs once the request is valid, so the page can reject a bad one before
   * handing out a stream. `handle` names the stream for abort().
   */
  async stream(body: unknown, handle: string, onChunks: ChunkSink, onStart?: () => unknown): Promise<void> {
    const sink = openSink(onChunks);
    return guard(() =>
      this.abortable(handle, async (signal) => {
        const chunks = await this.backendFor(body).stream(body, signal);
        await Promise.resolve(onStart?.()).catch(async (e: unknown) => {
          // The page is gone: end the request so the queue slot it may hold is freed.
          this.requests.get(handle)?.abort(e);
          while (!(await chunks.next()).done);
          throw e;
        });
        await sendChunks(chunks, sink.send);
      }),
    ).finally(() => {
      sink.close();
      release(onStart);
    });
  }

  /** Run `fn` with a signal that abort(handle) fires while it runs (no handle: not abortable from the page). */
  private async abortable<T>(handle: string | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (handle) this.requests.set(handle, controller);
    try {
      return await fn(controller.signal);
    } finally {
      if (handle) this.requests.delete(handle);
    }
  }

  abort(handle: string): boolean {
    const c = this.requests.get(handle);
    c?.abort(new ApiError({ type: "invalid_request_error", message: "aborted by the client", code: "aborted" }));
    return Boolean(c);
  }

  cancel(requestId: string): boolean {
    return this.backends().some((b) => b.cancel(requestId));
  }

  queued(): number {
    return this.engine.queued;
  }
}
