/// <reference lib="webworker" />
/**
 * Our side of the GGUF bench: the reference runner on a GGUF file read from the Cache API (load
 * time against a raw read of the same cached bytes, and memory), then the engine's generate loop on
 * it, as onnx-ours.worker.ts runs the ONNX side.
 */
import * as Comlink from "comlink";
import { generateChoice } from "../../../src/engine/decode/generate.js";
import { assembleModel, type LoadedModel } from "../../../src/engine/model.js";
import { normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { modelFromGguf } from "../../../src/runners/reference/gguf/model.js";
import { readGguf } from "../../../src/runners/reference/gguf/read-file.js";
import { WasmKernels } from "../../../src/runners/reference/kernels/wasm-kernels.js";
import type { GenerateRun } from "./onnx-generate.js";

let model: LoadedModel | undefined;
const CACHE = "gguf-bench";

async function cached(url: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  let res = await cache.match(url);
  if (!res) {
    await cache.put(url, await fetch(url));
    res = (await cache.match(url))!;
  }
  return res;
}

export interface LoadTiming {
  /** Cache API → runner + tokenizer files (readGguf + modelFromGguf). */
  loadMs: number;
  /** Then the engine's assembly (tokenizer, template, prefix feeder), as a worker does after any load. */
  assembleMs: number;
  /** The kernels' wasm memory after the load (the file's bytes live there). */
  wasmBytes: number;
  fileBytes: number;
}

const api = {
  /** A raw read of the cached file's bytes, in ms. */
  async rawRead(url: string): Promise<number> {
    await cached(url);
    const t0 = performance.now();
    const bytes = await (await (await caches.open(CACHE)).match(url))!.arrayBuffer();
    const ms = performance.now() - t0;
    if (bytes.byteLength === 0) throw new Error("empty");
    return ms;
  },

  /** Load the GGUF from the cache on fresh kernels (the old model is dropped first). */
  async load(url: string): Promise<LoadTiming> {
    await cached(url);
    model = undefined;
    const kernels = await WasmKernels.create();
    const cacheFetch = (async (u: string) => (await (await caches.open(CACHE)).match(u))!) as typeof fetch;
    const t0 = performance.now();
    const { header, bytes } = await readGguf(url, cacheFetch, undefined, kernels);
    const fileBytes = bytes.byteLength;
    const parts = await modelFromGguf(header, bytes, url, { kernels, contextWindow: 2048 });
    const t1 = performance.now();
    model = await assembleModel("bench", parts.runner, parts.files);
    return { loadMs: t1 - t0, assembleMs: performance.now() - t1, wasmBytes: kernels.memory.buffer.byteLength, fileBytes };
  },

  /** Greedy, exactly `newTokens` new tokens from `text` encoded by the model's tokenizer (timed from the ids). */
  async generate(text: string, newTokens: number): Promise<GenerateRun & { promptIds: number[] }> {
    const m = model!;
    const body = { messages: [{ role: "user", content: "x" }], temperature: 0, max_tokens: newTokens, min_tokens: newTokens };
    const req = normalizeRequest(validateRequest(body), {
      models: ["bench"],
      contextWindow: m.runner.contextWindow,
      vocabSize: m.runner.vocabSize,
    });
    const ids = m.tokenizer.encode(text);
    const t0 = performance.now();
    m.feeder.invalidate(); // a cold prefill every run
    const { logits } = await m.feeder.prefill(ids, null);
    const tokens: number[] = [];
    const stamps: number[] = [];
    for await (const ev of generateChoice({
      model: m,
      req,
      prompt: ids,
      firstLogits: logits,
      seed: 0,
      signal: new AbortController().signal,
      badWordIds: [],
      contextWindow: m.runner.contextWindow,
      skipSpecialTokens: true,
    }))
      if (ev.type === "token") {
        stamps.push(performance.now() - t0);
        tokens.push(ev.tokenId);
      }
    return { stamps, tokens, promptIds: [...ids] };
  },
};

export type GgufOursWorker = typeof api;
Comlink.expose(api);
