/// <reference lib="webworker" />
/**
 * The engine's worker side, for a worker of your own: `exposeEngine()` is all the package's worker
 * does; call it with `logitsProcessors` to let requests name processors in `logits_processors`
 * (functions cannot cross from the page, so they are registered here, as vLLM loads them at startup).
 *
 * This module imports no code, only types: it ends up in the worker's entry chunk, and WebKit runs a
 * module worker's entry again when another chunk imports from it (a second, empty engine then answers).
 * With the engine behind import(), bundlers put everything it shares with lazy chunks in other chunks.
 */
import type { LogitsProcessorFactory } from "../engine/sampling/processors.js";

export type { LogitsProcessor, LogitsProcessorFactory, ProcessorState } from "../engine/sampling/processors.js";

export interface WorkerEngineOptions {
  /** Processors by the name requests use in `logits_processors` (a string, or `{qualname, args, kwargs}`). */
  logitsProcessors?: Record<string, LogitsProcessorFactory>;
}

/**
 * Serve the engine to the page that started this worker (createEngine({ worker })). Call once.
 * Messages that arrive while the engine's code loads are held, then handed to it in order.
 */
export function exposeEngine(opts: WorkerEngineOptions = {}): void {
  const held: MessageEvent[] = [];
  const hold = (e: MessageEvent) => {
    e.stopImmediatePropagation();
    held.push(e);
  };
  self.addEventListener("message", hold);
  import("./serve.js").then(
    ({ serveEngine }) => {
      serveEngine(opts.logitsProcessors);
      self.removeEventListener("message", hold);
      for (const e of held) self.dispatchEvent(new MessageEvent("message", { data: e.data, ports: [...e.ports] }));
    },
    (e: unknown) =>
      setTimeout(() => {
        throw e; // an uncaught error: the page's worker link sees the start-up failure (503 worker_died)
      }),
  );
}
