/// <reference lib="webworker" />
/** SharedWorker entry: one engine for every tab of the origin, a TabSession per connecting tab. */
import * as Comlink from "comlink";
import { installApiErrorTransfer } from "../protocol/index.js";
import { XGrammarProvider } from "../engine/structured/xgrammar.js";
import { EngineHost } from "./engine-host.js";
import { SharedEngine } from "./shared-engine.js";

declare const self: SharedWorkerGlobalScope;

installApiErrorTransfer();
const shared = new SharedEngine(new EngineHost({ constraints: new XGrammarProvider() }));
self.addEventListener("connect", (e: MessageEvent) => {
  const port = e.ports[0];
  if (port) Comlink.expose(shared.connect(), port);
});
