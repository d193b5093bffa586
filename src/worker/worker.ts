/// <reference lib="webworker" />
/** Worker entry: the engine behind Comlink. */
import * as Comlink from "comlink";
import { installApiErrorTransfer } from "../protocol/index.js";
import { XGrammarProvider } from "../engine/structured/xgrammar.js";
import { EngineHost } from "./engine-host.js";

installApiErrorTransfer();
Comlink.expose(new EngineHost({ constraints: new XGrammarProvider() }));
