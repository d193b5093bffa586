/// <reference lib="webworker" />
/** Worker entry: the engine behind Comlink. */
import * as Comlink from "comlink";
import { installApiErrorTransfer } from "../protocol/index.js";
import { EngineHost } from "./engine-host.js";

installApiErrorTransfer();
Comlink.expose(new EngineHost());
