import { ApiError, toApiError, type ChatCompletion } from "../protocol/index.js";
import { requestedModel } from "../protocol/default-model.js";
import type { ModelSpec } from "../runners/registry.js";
import type { LoadProgress, ProgressCallback } from "../runners/runner.js";
import type { EngineHost, HostOptions, ModelInfo } from "./engine-host.js";
import type { LoadOptions } from "./load-model.js";
import type { SharedStatus, TabSessionCalls } from "./shared-protocol.js";
import { guard, release } from "./comlink-calls.js";
import { openSink, type ChunkSink } from "./chunk-sink.js";

interface Loading {
  done: Promise<string[]>;
  listeners: Set<ProgressCallback>;
  last?: LoadProgress;
}

/**
 * One EngineHost shared by every tab of an origin (in a SharedWorker). Each tab talks to its own
 * TabSession; this holds what the tabs share: loads in flight (so a model loads once) and who
 * holds each model (so one tab's unload does not pull it from under another's request).
 */
export class SharedEngine {
  private readonly loading = new Map<string, Loading>();
  /** Per model: the sessions that loaded it and the requests running on it. */
  private readonly holders = new Map<string, Set<object>>();
  /** Models a tab unloaded while others still held them: removed when the last holder lets go. */
  private readonly unloadWhenFree = new Set<string>();
  private settings: string | undefined;
  private sessionCount = 0;
  private readonly live = new Set<TabSession>();
  loads = 0;

  constructor(readonly host: EngineHost) {}

  /** A new tab's session. */
  connect(): TabSession {
    const s = new TabSession(this, ++this.sessionCount);
    this.live.add(s);
    return s;
  }

  forget(s: TabSession): void {
    this.live.delete(s);
  }

  status(): SharedStatus {
    return { tabs: this.live.size, loads: this.loads, queued: this.host.queued(), models: this.host.models() };
  }

  /** The first tab's settings apply; a later tab asking for others gets a 409 instead of silently different bounds. */
  configure(opts: HostOptions): void {
    const wanted = JSON.stringify({ limits: opts.limits ?? null, contextWindow: opts.contextWindow ?? null });
    if (this.settings === undefined && this.host.models().length === 0) {
      this.host.configure(opts);
      this.settings = wanted;
      return;
    }
    if (this.settings === wanted) return;
    throw new ApiError({
      type: "conflict_error",
      message: `The shared engine already runs with other settings (${this.settings ?? "the defaults"}); give every tab the same limits and contextWindow, or use a dedicated engine (shared: false).`,
      code: "shared_settings_differ",
    });
  }

  /** Load once: a model already loaded is reused, a load in flight is joined (with its progress so far). */
  async load(spec: ModelSpec, opts: Omit<LoadOptions, "onProgress">, holder: object, onProgress?: ProgressCallback) {
    const id = modelId(spec);
    if (id !== undefined && !this.loading.has(id) && this.host.models().includes(id)) {
      this.unloadWhenFree.delete(id); // wanted again: an unload waiting for holders is called off
      this.hold(id, holder);
      return this.host.models();
    }
    const key = id ?? "";
    let job = id === undefined ? undefined : this.loading.get(key);
    if (!job) {
      const listeners = new Set<ProgressCallback>();
      const fresh: Loading = { listeners, done: Promise.resolve([]) };
      const fanOut = (p: LoadProgress) => {
        fresh.last = p;
        for (const l of listeners) l(p);
      };
      this.loads++;
      fresh.done = this.host.load(spec, opts, fanOut).finally(() => {
        if (id !== undefined && this.loading.get(key) === fresh) this.loading.delete(key);
      });
      if (id !== undefined) this.loading.set(key, fresh);
      job = fresh;
    } else if (onProgress && job.last) onProgress(job.last);
    if (onProgress) job.listeners.add(onProgress);
    try {
      const ids = await job.done;
      if (id !== undefined) {
        this.unloadWhenFree.delete(id);
        this.hold(id, holder);
      }
      return ids;
    } finally {
      if (onProgress) job.listeners.delete(onProgress);
    }
  }

  /** Drop `holder`'s hold; the model goes once nobody holds it (at once when nobody else does). */
  async unload(id: string, holder: object): Promise<void> {
    this.holders.get(id)?.delete(holder);
    if (this.holders.get(id)?.size) return void this.unloadWhenFree.add(id);
    this.holders.delete(id);
    this.unloadWhenFree.delete(id);
    await this.host.unload(id);
  }

  hold(id: string, holder: object): void {
    let set = this.holders.get(id);
    if (!set) this.holders.set(id, (set = new Set()));
    set.add(holder);
  }

  /** Let go of `id` without asking to unload it; completes an unload that waited for this holder. */
  release(id: string, holder: object): void {
    const set = this.holders.get(id);
    if (!set?.delete(holder) || set.size) return;
    this.holders.delete(id);
    if (this.unloadWhenFree.delete(id)) void this.host.unload(id).catch(() => {});
  }

  /** The model a request body will run on (as the engine picks it), to hold it while the request runs. */
  modelOf(body: unknown): string | undefined {
    return requestedModel((body as { model?: unknown } | null)?.model, this.host.models());
  }
}

/**
 * One tab's view of the shared engine: the EngineHost calls the page makes, with its request
 * handles and request_ids kept apart from other tabs', and everything it started ended when the
 * tab goes (see watchTab).
 */
export class TabSession implements TabSessionCalls {
  private readonly prefix: string;
  private readonly handles = new Set<string>();
  /** This tab's request_ids running now, and the engine-wide alias each runs under. */
  private readonly aliases = new Map<string, string>();
  private aliasCount = 0;
  private readonly loadHold = {};
  private closed = false;
  private gone!: (e: ApiError) => void;
  /** Rejects when the tab is gone, so no worker-side wait on the tab's callbacks outlives it. */
  private readonly goneSignal = new Promise<never>((_, reject) => (this.gone = reject));

  constructor(
    private readonly shared: SharedEngine,
    readonly no: number,
  ) {
    this.prefix = `tab${no}:`;
    this.goneSignal.catch(() => {});
  }

  holdLock(name: string): Promise<void> {
    return this.shared.host.holdLock(name);
  }

  /**
   * The tab holds the Web Lock `name` for its life; the worker queues for it and is granted it
   * when the tab closes, navigates, crashes or disposes its engine: a SharedWorker gets no event
   * when a port's page goes, and a heartbeat would starve in a throttled background tab.
   */
  watchTab(name: string): void {
    void navigator.locks.request(name, () => this.close());
  }

  /** Abort everything this tab started and let go of what it held. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.gone(new ApiError({ type: "service_unavailable_error", message: "the tab went away", code: "tab_closed" }));
    for (const h of this.handles) this.shared.host.abort(h);
    for (const id of this.shared.host.models()) this.shared.release(id, this.loadHold);
    this.shared.forget(this);
  }

  configure(opts: HostOptions): void {
    this.shared.configure(opts);
  }

  async load(spec: ModelSpec, opts: Omit<LoadOptions, "onProgress"> = {}, onProgress?: ProgressCallback): Promise<string[]> {
    const tell = onProgress ? (p: LoadProgress) => void Promise.resolve(onProgress(p)).catch(() => {}) : undefined;
    try {
      return await guard(() => this.shared.load(spec, opts, this.loadHold, tell));
    } finally {
      release(onProgress);
    }
  }

  unload(id: string): Promise<void> {
    return guard(() => this.shared.unload(id, this.loadHold));
  }

  models(): string[] {
    return this.shared.host.models();
  }

  modelInfo(): ModelInfo[] {
    return this.shared.host.modelInfo();
  }

  status(): SharedStatus {
    return this.shared.status();
  }

  async create(body: unknown, handle?: string): Promise<ChatCompletion> {
    return this.run(body, handle, async (aliased, h, unalias) => unalias(await this.shared.host.create(aliased, h)));
  }

  async stream(body: unknown, handle: string, onChunks: ChunkSink, onStart?: () => unknown): Promise<void> {
    const sink = openSink(onChunks);
    try {
      await this.run(body, handle, (aliased, h, unalias) =>
        this.shared.host.stream(
          aliased,
          h!,
          (batch) => Promise.race([sink.send(batch.map(unalias)), this.goneSignal]),
          () => Promise.race([onStart?.(), this.goneSignal]),
        ),
      );
    } finally {
      sink.close();
      release(onStart);
    }
  }

  abort(handle: string): boolean {
    return this.shared.host.abort(this.prefix + handle);
  }

  cancel(requestId: string): boolean {
    const alias = this.aliases.get(requestId);
    return alias !== undefined && this.shared.host.cancel(alias);
  }

  queued(): number {
    return this.shared.host.queued();
  }

  /**
   * Run a request under this tab's handle namespace, with its request_id swapped for an alias
   * unique across tabs (and swapped back in the response and errors), holding its model meanwhile.
   */
  private async run<T>(
    body: unknown,
    handle: string | undefined,
    fn: (aliased: unknown, handle: string | undefined, unalias: <R extends { id: string }>(r: R) => R) => Promise<T>,
  ): Promise<T> {
    if (this.closed)
      throw new ApiError({ type: "service_unavailable_error", message: "This tab's session ended.", code: "tab_closed" });
    const h = handle === undefined ? undefined : this.prefix + handle;
    const requestId = (body as { request_id?: unknown } | null)?.request_id;
    const own = typeof requestId === "string" && requestId.length > 0 && requestId.length <= 256 && !this.aliases.has(requestId);
    let alias: string | undefined;
    if (own) {
      alias = `${this.prefix}${++this.aliasCount}`;
      this.aliases.set(requestId, alias);
    } else if (typeof requestId === "string") alias = this.aliases.get(requestId); // a duplicate: the engine's 409
    const aliased = alias === undefined ? body : { ...(body as object), request_id: alias };
    const unalias = <R extends { id: string }>(r: R): R =>
      alias !== undefined && r.id === alias ? { ...r, id: requestId as string } : r;
    const model = this.shared.modelOf(body);
    const hold = {};
    if (model !== undefined) this.shared.hold(model, hold);
    if (h) this.handles.add(h);
    try {
      return await fn(aliased, h, unalias);
    } catch (e) {
      const err = toApiError(e);
      if (alias === undefined || !err.message.includes(alias)) throw err;
      throw new ApiError({
        type: err.type,
        param: err.param,
        code: err.code,
        message: err.message.replaceAll(alias, requestId as string),
      });
    } finally {
      if (h) this.handles.delete(h);
      if (own) this.aliases.delete(requestId);
      if (model !== undefined) this.shared.release(model, hold);
    }
  }
}

function modelId(spec: ModelSpec): string | undefined {
  if (typeof spec === "string") return spec;
  return typeof spec?.model_id === "string" ? spec.model_id : undefined;
}
