import * as Comlink from "comlink";
import { installApiErrorTransfer } from "../protocol/comlink-errors.js";
import { ApiError } from "../protocol/errors.js";
import type { EngineHost } from "../worker/engine-host.js";

export type Host = Comlink.Remote<EngineHost>;

/**
 * What WorkerLink drives: a dedicated Worker, or a tab's port to the shared worker (see
 * shared-link.ts). Comlink's Endpoint plus terminate(), written out so the public types need no comlink.
 */
export interface EngineWorker {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: object): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: object): void;
  start?: () => void;
  terminate(): void;
}

interface Live {
  worker: EngineWorker;
  host: Host;
  /** Rejects with a 503 when the worker dies. */
  dead: Promise<never>;
}

/**
 * The page's line to the engine worker. Every call races the worker's death, so a terminated or
 * crashed worker fails pending calls with a 503 at once; the next call spawns a fresh worker and
 * runs `onStart` on it (reloading the models) first.
 */
export class WorkerLink {
  private live: Promise<Live> | undefined;
  private disposed = false;
  private current: EngineWorker | undefined;

  constructor(
    private readonly spawn: () => EngineWorker | Promise<EngineWorker>,
    private readonly onStart: (host: Host, worker: EngineWorker) => Promise<void>,
  ) {
    installApiErrorTransfer();
  }

  async call<T>(fn: (host: Host) => Promise<T>): Promise<T> {
    const live = await this.connect();
    return Promise.race([fn(live.host), live.dead]);
  }

  /** The current worker, started if none runs (tests terminate it to simulate a crash). */
  async worker(): Promise<EngineWorker> {
    return (await this.connect()).worker;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const live = await this.live?.catch(() => undefined);
    this.live = undefined;
    live?.worker.terminate();
  }

  private connect(): Promise<Live> {
    if (this.disposed)
      return Promise.reject(
        new ApiError({
          type: "service_unavailable_error",
          message: "The engine was disposed; create a new one.",
          code: "engine_disposed",
        }),
      );
    if (!this.live) {
      const starting = this.start();
      this.live = starting;
      starting.catch(() => {
        if (this.live === starting) this.live = undefined;
      });
    }
    return this.live;
  }

  private async start(): Promise<Live> {
    const worker = await this.spawn();
    this.current = worker;
    const host = Comlink.wrap<EngineHost>(worker);
    let died!: (e: ApiError) => void;
    const dead = new Promise<never>((_, reject) => (died = reject));
    dead.catch(() => {});
    let gone = false;
    const die = (why: string) => {
      if (gone) return;
      gone = true;
      died(
        new ApiError({
          type: "service_unavailable_error",
          message: `The engine worker ${why}; retry the request (a new worker starts and reloads the model).`,
          code: "worker_died",
        }),
      );
      worker.terminate();
      host[Comlink.releaseProxy]();
      if (this.current === worker) this.live = undefined;
    };
    await Promise.race([this.watch(worker, host, die), dead]);
    await Promise.race([this.onStart(host, worker), dead]);
    return { worker, host, dead };
  }

  /** Resolves once death watching is armed; calls `die` when the worker goes away. */
  private async watch(worker: EngineWorker, host: Host, die: (why: string) => void): Promise<void> {
    // A module that fails to load or evaluate never answers: its error event is the only sign.
    // Later uncaught errors do not stop a worker, so the listener only covers start-up.
    const onError = (e: Event) => die(`failed to start (${(e as ErrorEvent).message || "worker error"})`);
    worker.addEventListener("error", onError);
    try {
      if (!globalThis.navigator?.locks) return void (await host.models()); // no Web Locks: only start-up failures are seen
      const name = `webgpu-chat-engine:${crypto.randomUUID()}`;
      await host.holdLock(name);
      void navigator.locks.request(name, () => die("stopped (terminated, crashed or out of memory)"));
    } finally {
      worker.removeEventListener("error", onError);
    }
  }
}
