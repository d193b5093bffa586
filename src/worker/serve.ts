/// <reference lib="webworker" />
/** The engine behind Comlink on this worker: what exposeEngine() loads (see expose.ts for why it is separate). */
import * as Comlink from "comlink";
import { installApiErrorTransfer } from "../protocol/comlink-errors.js";
import { XGrammarProvider } from "../engine/structured/xgrammar.js";
import type { LogitsProcessorFactory } from "../engine/sampling/processors.js";
import { EngineHost } from "./engine-host.js";

export function serveEngine(logitsProcessors: Record<string, LogitsProcessorFactory> | undefined): void {
  installApiErrorTransfer();
  Comlink.expose(new EngineHost({ constraints: new XGrammarProvider(), logitsProcessors }));
}
