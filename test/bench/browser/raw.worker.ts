/// <reference lib="webworker" />
/** The floor: post n chunk objects with plain postMessage, as fast as the worker can. */
import { sampleChunk } from "./chunk.js";

self.onmessage = (e: MessageEvent<{ n: number }>) => {
  for (let i = 0; i < e.data.n; i++) self.postMessage(sampleChunk(i));
};
