import * as Comlink from "comlink";
import { ApiError } from "../protocol/errors.js";
import { didYouMean } from "../protocol/did-you-mean.js";
import { checkRequestShape, resolveLimits, type EngineLimits } from "../protocol/limits.js";
import type { ChatCompletionRequest } from "../protocol/request.js";
import type { ChatCompletion } from "../protocol/response.js";
import { DEFAULT_MODEL_BASE, resolveModelSpec } from "../models/record.js";
import type { ModelSpec } from "../runners/registry.js";
import { scriptedInstead } from "./scripted-override.js";
import { resolveCatalogId } from "../runners/catalog.js";
import { withModelBaseHint } from "./model-base-hint.js";
import type { LoadProgress } from "../models/progress.js";
import { defaultWorker, startDefaultWorker } from "./default-worker.js";
import { ModelCache } from "./cache.js";
import { handleFetch } from "./fetch.js";
import { ChatStream } from "./stream.js";
import { chunkPort } from "./chunk-port.js";
import { canShare, defaultSharedWorker, SharedWorkerPort, sharedStatus } from "./shared-link.js";
import { WorkerLink, type EngineWorker, type Host } from "./worker-link.js";
import type { SharedStatus } from "../worker/shared-protocol.js";
import { fallbackEvent, loadFallsBack, requestFallsBack, type FallbackEvent } from "./fallback.js";
import { streamWithFallback } from "./stream-fallback.js";

export interface CreateEngineOptions {
  /**
   * Model(s) to load now: a catalog id ("SmolLM2-135M-Instruct-q4-onnx", see src/models/catalog.ts),
   * "tiny-random-qwen3", a web-llm prebuilt id, or a ModelRecord.
   */
  model?: ModelSpec | ModelSpec[];
  /**
   * Where the app serves local model folders (default "/models/", resolved against the page):
   * "tiny-random-qwen3" loads from `<modelBaseUrl>tiny-random-qwen3/`. A record's own `model` URL
   * may be absolute or relative to the page.
   */
  modelBaseUrl?: string | URL;
  /**
   * Where catalog models download from when the app does not serve them under `modelBaseUrl`:
   * the Hugging Face Hub (default "https://huggingface.co/") or a mirror with its URL layout.
   */
  hubUrl?: string | URL;
  /** Bounds on requests (see EngineLimits); unknown names or non-positive values throw a TypeError. */
  limits?: Partial<EngineLimits>;
  /** Cap every model's context window (tokens). */
  contextWindow?: number;
  /**
   * As vLLM's --generation-config: "auto" (default) uses a model's generation_config.json sampling
   * values (temperature, top_p, top_k, min_p, repetition_penalty) for fields a request leaves
   * unset; "vllm" ignores them.
   */
  generationConfig?: "auto" | "vllm";
  /** Download / compile progress of every load, including reloads after a worker restart. */
  onProgress?: (p: LoadProgress) => void;
  /**
   * The engine worker, or a function making one. A worker that dies is replaced by a new one from
   * the function, or from this package's own worker when an instance was given.
   */
  worker?: Worker | (() => Worker);
  /**
   * Host the engine in a SharedWorker, so every tab of the origin shares one engine and one copy
   * of each model (a function gives the SharedWorker to connect to). Where SharedWorker or Web
   * Locks are missing the engine runs in a dedicated worker (from `worker`); `engine.mode` says which.
   */
  shared?: boolean | (() => SharedWorker);
  /** When set, engine.fetch answers 401 unless the request carries `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Where web-llm caches model files: the Cache API (default) or IndexedDB. */
  cacheBackend?: "cache" | "indexeddb";
  /**
   * Id of a loaded model (typically a remote server's, `runner: "remote"`) that answers when a
   * local one cannot: it failed to load (no WebGPU / WASM, does not fit), its device was lost, or
   * the prompt is longer than its window. The answer's `model` names the fallback.
   */
  fallback?: string;
  /** Called each time a load or request goes to the fallback model instead. */
  onFallback?: (e: FallbackEvent) => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** An OpenAI-shaped model entry, as vLLM's /v1/models lists it. */
export interface ModelCard {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  root: string;
  parent: null;
  /** Context window in tokens; absent when the backend serving the model does not say. */
  max_model_len?: number;
}

type StreamingRequest = ChatCompletionRequest & { stream: true };
type PlainRequest = ChatCompletionRequest & { stream?: false | null };

export { defaultWorker };

/** Start the worker, load the model(s), and return the engine. */
export async function createEngine(opts: CreateEngineOptions = {}): Promise<ChatEngine> {
  const engine = new ChatEngine(opts);
  const specs = opts.model === undefined ? [] : Array.isArray(opts.model) ? opts.model : [opts.model];
  try {
    for (const spec of specs) await engine.loadOrFallBack(spec);
  } catch (e) {
    await engine.dispose();
    throw e;
  }
  return engine;
}

/** The page side of the engine: OpenAI's client surface, backed by the worker. */
export class ChatEngine {
  private readonly link: WorkerLink;
  /** Models to load again when a new worker replaces a dead one. */
  private readonly loaded = new Map<string, ModelSpec>();
  /**
   * Loads whose spec the page is still resolving (a catalog id's folder): requests wait for them, so
   * the worker hears of a load before the requests sent after it and holds them until it is done.
   */
  private resolving: Promise<unknown> = Promise.resolve();
  /** Models that failed to load, whose requests go to `fallback`. */
  private readonly unavailable = new Map<string, ApiError>();
  private readonly created = Math.floor(Date.now() / 1000);
  /** The bounds in effect (defaults overlaid with createEngine's `limits`). */
  readonly limits: EngineLimits;
  /** The models the runners keep in the browser's storage: list, sizes, delete, quota. */
  readonly cache = new ModelCache();
  /** "shared": one engine for all tabs (a SharedWorker); "dedicated": this page's own worker. */
  readonly mode: "shared" | "dedicated";

  readonly chat = {
    completions: {
      create: ((req: ChatCompletionRequest, opts?: RequestOptions) => this.create(req, opts)) as {
        (req: StreamingRequest, opts?: RequestOptions): Promise<ChatStream>;
        (req: PlainRequest, opts?: RequestOptions): Promise<ChatCompletion>;
        (req: ChatCompletionRequest, opts?: RequestOptions): Promise<ChatCompletion | ChatStream>;
      },
    },
  };

  readonly models = {
    list: async (): Promise<{ object: "list"; data: ModelCard[] }> => {
      const info = await this.link.call((h) => h.modelInfo());
      return {
        object: "list",
        data: info.map((m) => ({
          id: m.id,
          object: "model",
          created: this.created,
          owned_by: "webgpu-chat-engine",
          root: m.id,
          parent: null,
          ...(m.contextWindow !== undefined ? { max_model_len: m.contextWindow } : {}),
        })),
      };
    },
    retrieve: async (id: string): Promise<ModelCard> => {
      const card = (await this.models.list()).data.find((m) => m.id === id);
      if (!card)
        throw new ApiError({
          type: "not_found_error",
          message: `The model "${id}" is not loaded.${didYouMean(id, this.loaded.keys())}`,
          param: "model",
          code: "model_not_found",
        });
      return card;
    },
  };

  /** `fetch` for OpenAI-compatible clients: POST /v1/chat/completions, GET /v1/models. */
  readonly fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    handleFetch(this, input, init, this.opts.apiKey);

  constructor(private readonly opts: CreateEngineOptions = {}) {
    this.limits = resolveLimits(opts.limits);
    const given = opts.worker;
    let first = typeof given === "object" ? given : undefined;
    const spawn = () => {
      const w = first ?? (typeof given === "function" ? given() : startDefaultWorker());
      first = undefined;
      return w;
    };
    this.mode = opts.shared && canShare() ? "shared" : "dedicated";
    const share = typeof opts.shared === "function" ? opts.shared : defaultSharedWorker;
    this.link = new WorkerLink(this.mode === "shared" ? () => new SharedWorkerPort(share()) : spawn, (host, worker) =>
      this.restore(host, worker),
    );
  }

  /** Load a model (kept across worker restarts); resolves with the ids now loaded. */
  async load(spec: ModelSpec): Promise<string[]> {
    const modelBase = new URL(this.opts.modelBaseUrl ?? DEFAULT_MODEL_BASE, pageUrl()).href;
    const hubUrl = this.opts.hubUrl === undefined ? undefined : new URL(this.opts.hubUrl, pageUrl()).href;
    const asked = scriptedInstead(spec, modelBase);
    const lookup = typeof asked === "string" ? resolveCatalogId(asked, { modelBase, hubUrl }) : undefined;
    this.resolving = Promise.all([this.resolving, lookup]).catch(() => {});
    const known = await lookup;
    const resolved = resolveModelSpec(known ?? asked, pageUrl(), modelBase);
    // An id the page turned into a local folder's record: a 404 there is about modelBaseUrl.
    const local = typeof spec === "string" && typeof resolved !== "string" && !known;
    const ids = await this.link
      .call((h) => this.loadOn(h, resolved))
      .catch((e: unknown) => Promise.reject(local ? withModelBaseHint(e, spec, modelBase) : e));
    this.loaded.set(typeof resolved === "string" ? resolved : resolved.model_id, resolved);
    return ids;
  }

  /** load(), except that with a `fallback` a model that cannot run here is marked to use it instead. */
  async loadOrFallBack(spec: ModelSpec): Promise<void> {
    const id = typeof spec === "string" ? spec : spec.model_id;
    const fallback = this.opts.fallback;
    try {
      await this.load(spec);
    } catch (e) {
      if (!fallback || fallback === id || !loadFallsBack(e)) throw e;
      this.unavailable.set(id, e);
      this.opts.onFallback?.(fallbackEvent(id, fallback, e));
    }
  }

  async unload(id: string): Promise<void> {
    this.loaded.delete(id);
    await this.link.call((h) => h.unload(id));
  }

  /** Stop the worker and free the model; the engine cannot be used after. */
  async dispose(): Promise<void> {
    await this.link.dispose();
  }

  /** The running worker (starting one if needed); in shared mode this tab's port to it. */
  worker(): Promise<EngineWorker> {
    return this.link.worker();
  }

  /** The shared worker's tabs, loads run, queue and models; undefined in dedicated mode. */
  async sharedStatus(): Promise<SharedStatus | undefined> {
    return this.mode === "shared" ? this.link.call(sharedStatus) : undefined;
  }

  private async restore(host: Host, worker: EngineWorker): Promise<void> {
    if (worker instanceof SharedWorkerPort) await worker.bind(host);
    const { limits, contextWindow, generationConfig } = this.opts;
    // A shared engine always hears the settings, so a tab asking for other bounds than it runs with gets a 409.
    if (
      limits !== undefined ||
      contextWindow !== undefined ||
      generationConfig !== undefined ||
      worker instanceof SharedWorkerPort
    )
      await host.configure({ limits, contextWindow, generationConfig });
    for (const spec of this.loaded.values()) await this.loadOn(host, spec);
  }

  private loadOn(host: Host, spec: ModelSpec): Promise<string[]> {
    const progress = this.opts.onProgress;
    return host.load(spec, { cacheBackend: this.opts.cacheBackend }, progress ? Comlink.proxy(progress) : undefined);
  }

  /** A request, sent again to the fallback model when the model it named cannot serve it. */
  private async create(req: ChatCompletionRequest, opts: RequestOptions = {}): Promise<ChatCompletion | ChatStream> {
    const fallback = this.opts.fallback;
    const from = typeof req?.model === "string" ? req.model : this.loaded.keys().next().value;
    if (!fallback || from === undefined || from === fallback) return this.send(req, opts);
    const failed = this.unavailable.get(from);
    try {
      if (!failed) return this.continuing(await this.send(req, opts), req, from, fallback, opts);
      this.opts.onFallback?.(fallbackEvent(from, fallback, failed));
    } catch (e) {
      if (!requestFallsBack(e)) throw e;
      this.opts.onFallback?.(fallbackEvent(from, fallback, e));
    }
    return this.send({ ...req, model: fallback }, opts);
  }

  /** A local stream that, if the device is lost mid-way, goes on with the fallback model's answer. */
  private continuing<T extends ChatCompletion | ChatStream>(
    res: T,
    req: ChatCompletionRequest,
    from: string,
    to: string,
    opts: RequestOptions,
  ): T | ChatStream {
    if (!(res instanceof ChatStream)) return res;
    const signals = (own: AbortSignal) => (opts.signal ? AbortSignal.any([opts.signal, own]) : own);
    return streamWithFallback({
      first: res,
      req,
      from,
      to,
      open: async (r, own) => (await this.send(r, { signal: signals(own) })) as ChatStream,
      onFallback: this.opts.onFallback,
    });
  }

  private async send(req: ChatCompletionRequest, opts: RequestOptions = {}): Promise<ChatCompletion | ChatStream> {
    const handle = crypto.randomUUID();
    checkRequestShape(req, this.limits);
    await this.resolving;
    if (!req || typeof req !== "object" || !req.stream) {
      const call = this.link.call((h) => h.create(req, handle));
      const stop = this.abortOn(opts.signal, handle); // after the call, so an early abort reaches the worker after it
      try {
        return await call;
      } finally {
        stop();
      }
    }
    return this.openStream(req, handle, opts.signal);
  }

  private async openStream(req: ChatCompletionRequest, handle: string, signal?: AbortSignal): Promise<ChatStream> {
    const stream = new ChatStream();
    let started!: () => void;
    const start = new Promise<void>((resolve) => (started = resolve));
    const chunks = chunkPort(stream);
    const call = this.link.call((h) =>
      h.stream(
        req,
        handle,
        Comlink.transfer(chunks.port, [chunks.port]),
        Comlink.proxy(() => started()),
      ),
    );
    // After the call, so an already aborted signal reaches the worker after the request it aborts.
    const stopUser = this.abortOn(signal, handle);
    const stopOwn = this.abortOn(stream.controller.signal, handle);
    const done = call
      .then(
        () => stream.end(),
        (e: unknown) => stream.end(e),
      )
      .finally(() => {
        chunks.close();
        stopUser();
        stopOwn();
      });
    // A request the worker rejects before starting (validation, 413, 409) rejects create() itself.
    await Promise.race([start, done.then(() => stream.failed())]);
    return stream;
  }

  /** Forward an AbortSignal to the worker's request `handle`; returns the unsubscribe. */
  private abortOn(signal: AbortSignal | undefined, handle: string): () => void {
    if (!signal) return () => {};
    const abort = () => void this.link.call((h) => h.abort(handle)).catch(() => {});
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort, { once: true });
    return () => signal.removeEventListener("abort", abort);
  }
}

/** The page's URL, against which relative model URLs resolve (document.baseURI honours <base>). */
function pageUrl(): string {
  return globalThis.document?.baseURI ?? globalThis.location.href;
}
