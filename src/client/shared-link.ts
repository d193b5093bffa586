import type * as Comlink from "comlink";
import type { SharedStatus, TabSessionCalls } from "../worker/shared-protocol.js";
import type { EngineWorker, Host } from "./worker-link.js";

/** The package's own shared engine worker; every tab of the origin that makes one joins the same instance. */
export function defaultSharedWorker(): SharedWorker {
  return new SharedWorker(new URL("../worker/shared-worker.ts", import.meta.url), {
    type: "module",
    name: "webgpu-chat-engine",
  });
}

/** SharedWorker needs Web Locks as well here: each side learns of the other's death through one. */
export function canShare(): boolean {
  return typeof globalThis.SharedWorker === "function" && Boolean(globalThis.navigator?.locks);
}

/**
 * A tab's connection to the shared engine worker, driven by WorkerLink as it drives a dedicated
 * worker: messages go through the port, and terminate() ends only this tab's session (its requests
 * are aborted, its model holds dropped) while the worker serves the other tabs.
 */
export class SharedWorkerPort implements EngineWorker {
  private releaseTab: (() => void) | undefined;

  constructor(readonly worker: SharedWorker) {}

  postMessage(message: unknown, transfer?: Transferable[]): void {
    this.worker.port.postMessage(message, transfer ?? []);
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: object): void {
    (type === "error" ? this.worker : this.worker.port).addEventListener(type, listener, options);
  }

  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: object): void {
    (type === "error" ? this.worker : this.worker.port).removeEventListener(type, listener, options);
  }

  start(): void {
    this.worker.port.start();
  }

  terminate(): void {
    this.releaseTab?.();
    this.worker.port.close();
  }

  /**
   * Hold a Web Lock for as long as this tab keeps the connection, and have the worker queue for
   * it: the browser grants it to the worker when the tab closes, navigates away or crashes.
   */
  async bind(host: Host): Promise<void> {
    const name = `webgpu-chat-engine:tab:${crypto.randomUUID()}`;
    await new Promise<void>((held) => {
      void navigator.locks.request(name, () => {
        held();
        return new Promise<void>((done) => (this.releaseTab = done));
      });
    });
    await sessionOf(host).watchTab(name);
  }
}

/** The shared worker's view of itself (tabs, loads run, queue, models). */
export function sharedStatus(host: Host): Promise<SharedStatus> {
  return sessionOf(host).status();
}

/** Behind a SharedWorkerPort the host is a TabSession: EngineHost's calls plus the session's own. */
function sessionOf(host: Host): Comlink.Remote<TabSessionCalls> {
  return host as unknown as Comlink.Remote<TabSessionCalls>;
}
