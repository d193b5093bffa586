/// <reference lib="webworker" />
/**
 * The engine's worker side, for a worker of your own: `exposeEngine()` is all the package's worker
 * does; call it with `logitsProcessors` to let requests name processors in `logits_processors`
 * (functions cannot cross from the page, so they are registered here, as vLLM loads them at startup).
 */
import * as Comlink from "comlink";
import { installApiErrorTransfer } from "../protocol/comlink-errors.js";
import { XGrammarProvider } from "../engine/structured/xgrammar.js";
import type { LogitsProcessorFactory } from "../engine/sampling/processors.js";
import { EngineHost } from "./engine-host.js";

export type { LogitsProcessor, LogitsProcessorFactory, ProcessorState } from "../engine/sampling/processors.js";

export interface WorkerEngineOptions {
  /** Processors by the name requests use in `logits_processors` (a string, or `{qualname, args, kwargs}`). */
  logitsProcessors?: Record<string, LogitsProcessorFactory>;
}

/** Serve the engine to the page that started this worker (createEngine({ worker })). Call once. */
export function exposeEngine(opts: WorkerEngineOptions = {}): void {
  installApiErrorTransfer();
  Comlink.expose(new EngineHost({ constraints: new XGrammarProvider(), logitsProcessors: opts.logitsProcessors }));
}
