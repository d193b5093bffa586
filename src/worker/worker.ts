/// <reference lib="webworker" />
/** The package's worker entry: the engine behind Comlink, with no custom logits processors. */
import { exposeEngine } from "./expose.js";

exposeEngine();
