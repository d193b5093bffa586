/// <reference lib="webworker" />
/** Our transport without the model: the worker's sendChunks over a Comlink callback, as EngineHost.stream uses it. */
import * as Comlink from "comlink";
import { sendChunks } from "../../../src/worker/send-chunks.js";
import type { ChatCompletionChunk } from "../../../src/protocol/response.js";
import { sampleChunk } from "./chunk.js";

async function* chunks(n: number): AsyncGenerator<ChatCompletionChunk> {
  for (let i = 0; i < n; i++) yield sampleChunk(i);
}

const api = {
  pump: (n: number, send: (batch: ChatCompletionChunk[]) => unknown) => sendChunks(chunks(n), send),
};
export type PumpWorker = typeof api;
Comlink.expose(api);
