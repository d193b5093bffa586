/// <reference lib="webworker" />
/** The package's worker entry: the engine behind Comlink, with no custom logits processors. */
import { exposeEngine } from "./expose.js";
import { READY_MESSAGE } from "./ready.js";

exposeEngine();
self.postMessage(READY_MESSAGE); // the page's cue that this module loaded (see startDefaultWorker)
