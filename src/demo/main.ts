import * as Comlink from "comlink";
import type { GreedyWorker } from "./greedy.worker.js";
import type { LoadProgress } from "../runners/runner.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const MODEL_URL = `${import.meta.env.BASE_URL}models/tiny-random-qwen3/`;

async function showWebGpu(): Promise<void> {
  const el = $("webgpu");
  const adapter = await navigator.gpu?.requestAdapter();
  el.textContent = !navigator.gpu
    ? "WebGPU: not available in this browser (the reference CPU runner still works)"
    : !adapter
      ? "WebGPU: no adapter"
      : `WebGPU: ${adapter.info.vendor || "?"} ${adapter.info.architecture || ""}, shader-f16 ${adapter.features.has("shader-f16") ? "yes" : "no"}`;
}

const worker = Comlink.wrap<GreedyWorker>(new Worker(new URL("./greedy.worker.ts", import.meta.url), { type: "module" }));
let loaded: Promise<void> | undefined;

$("form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const button = $<HTMLButtonElement>("run");
  const out = $("output");
  const status = $("status");
  button.disabled = true;
  try {
    loaded ??= worker.load(
      MODEL_URL,
      Comlink.proxy((p: LoadProgress) => {
        const bar = $<HTMLProgressElement>("progress");
        bar.max = p.total || 1;
        bar.value = p.loaded;
        status.textContent = p.text;
      }),
    );
    await loaded;
    out.textContent = "";
    const prompt = $<HTMLTextAreaElement>("prompt").value;
    const { tokens, ms } = await worker.generate(prompt, 32, Comlink.proxy((text: string) => (out.textContent = text)));
    status.textContent = `${tokens} tokens in ${ms.toFixed(0)} ms (${((tokens * 1000) / ms).toFixed(1)} tokens/s), greedy`;
  } catch (e) {
    loaded = undefined;
    status.textContent = `Error: ${(e as Error).message}`;
  } finally {
    button.disabled = false;
  }
});

void showWebGpu();
