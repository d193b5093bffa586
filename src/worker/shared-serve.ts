/// <reference lib="webworker" />
/** The shared engine: what shared-worker.ts loads (see expose.ts for why it is separate). */
import * as Comlink from "comlink";
import { installApiErrorTransfer } from "../protocol/index.js";
import { XGrammarProvider } from "../engine/structured/xgrammar.js";
import { EngineHost } from "./engine-host.js";
import { SharedEngine } from "./shared-engine.js";

/** One engine for every tab; returns what serves a connecting tab's port. */
export function sharedEngine(): (port: MessagePort) => void {
  installApiErrorTransfer();
  const shared = new SharedEngine(new EngineHost({ constraints: new XGrammarProvider() }));
  return (port) => Comlink.expose(shared.connect(), port);
}
