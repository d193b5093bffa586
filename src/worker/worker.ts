/// <reference lib="webworker" />
/** Worker entry: the engine behind Comlink. */
import * as Comlink from "comlink";
import { READY_MESSAGE } from "./ready.js";
import { installApiErrorTransfer } from "../protocol/index.js";
import { XGrammarProvider } from "../engine/structured/xgrammar.js";
import { EngineHost } from "./engine-host.js";

installApiErrorTransfer();
Comlink.expose(new EngineHost({ constraints: new XGrammarProvider() }));
self.postMessage(READY_MESSAGE); // the page's cue that this module loaded (see startDefaultWorker)
