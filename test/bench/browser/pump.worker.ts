/// <reference lib="webworker" />
/** Our transport without the model: the worker's sendChunks over the page's chunk port, as EngineHost.stream uses them. */
import * as Comlink from "comlink";
import { sendChunks } from "../../../src/worker/send-chunks.js";
import { openSink } from "../../../src/worker/chunk-sink.js";
import type { ChatCompletionChunk } from "../../../src/protocol/response.js";
import { sampleChunk } from "./chunk.js";

async function* chunks(n: number): AsyncGenerator<ChatCompletionChunk> {
  for (let i = 0; i < n; i++) yield sampleChunk(i);
}

const api = {
  pump: async (n: number, port: MessagePort) => {
    const sink = openSink(port);
    try {
      await sendChunks(chunks(n), sink.send);
    } finally {
      sink.close();
    }
  },
};
export type PumpWorker = typeof api;
Comlink.expose(api);
