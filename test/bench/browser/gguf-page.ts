/**
 * window.ggufBench: the same GGUF file on our reference runner (a worker) and on @wllama/wllama
 * (llama.cpp in wasm, its own worker), and the same model's ONNX fp32 graph on our OnnxRunner
 * (WASM, a worker); one thread each, in this one page.
 */
import { Wllama } from "@wllama/wllama";
import wllamaWasm from "@wllama/wllama/esm/wasm/wllama.wasm?url";
import * as Comlink from "comlink";
import type { GgufOursWorker } from "./gguf-ours.worker.js";
import type { GenerateRun } from "./onnx-generate.js";
import type { OursWorker } from "./onnx-ours.worker.js";

const gguf = Comlink.wrap<GgufOursWorker>(new Worker(new URL("./gguf-ours.worker.ts", import.meta.url), { type: "module" }));
const onnx = Comlink.wrap<OursWorker>(new Worker(new URL("./onnx-ours.worker.ts", import.meta.url), { type: "module" }));
let wllama: Wllama | undefined;
const abs = (path: string) => new URL(path, location.href).href;

/** wllama: greedy, exactly `newTokens` tokens (EOS ignored), each chunk stamped on arrival. */
async function wllamaGenerate(text: string, newTokens: number): Promise<GenerateRun> {
  const stamps: number[] = [];
  const t0 = performance.now();
  const stream = await wllama!.createCompletion({
    prompt: text,
    stream: true,
    max_tokens: newTokens,
    temperature: 0,
    ignore_eos: true,
  });
  for await (const chunk of stream) if (chunk.choices[0]?.text) stamps.push(performance.now() - t0);
  return { stamps, tokens: [] };
}

const ggufBench = {
  rawRead: (url: string) => gguf.rawRead(abs(url)),
  loadGguf: (url: string) => gguf.load(abs(url)),
  loadOnnx: (folder: string) => onnx.load(abs(folder), "wasm", "fp32"),
  async loadWllama(url: string, nCtx: number): Promise<number> {
    await wllama?.exit();
    wllama = new Wllama({ default: wllamaWasm }, { suppressNativeLog: true });
    const t0 = performance.now();
    await wllama.loadModelFromUrl(abs(url), { n_threads: 1, n_gpu_layers: 0, n_ctx: nCtx, jinja: true });
    return performance.now() - t0;
  },
  /** Also returns the prompt's ids under the GGUF's tokenizer: the ONNX side is fed those. */
  gguf: (text: string, newTokens: number) => gguf.generate(text, newTokens),
  onnx: (ids: number[], newTokens: number) => onnx.generate(ids, newTokens),
  wllama: wllamaGenerate,
};

declare global {
  interface Window {
    ggufBench: typeof ggufBench;
  }
}
window.ggufBench = ggufBench;
document.body.dataset.ready = "true";
