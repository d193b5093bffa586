/** Functions the browser tests call through page.evaluate(window.harness...). */
import * as Comlink from "comlink";
import { Tokenizer } from "@mlc-ai/web-tokenizers";
import type { HarnessWorker } from "./harness.worker.js";
import { probeWebGpu } from "./webgpu-probe.js";

export const MODEL_URL = "/models/tiny-random-qwen3/";

let tokenizer: Promise<Tokenizer> | undefined;
function loadTokenizer(): Promise<Tokenizer> {
  tokenizer ??= fetch(MODEL_URL + "tokenizer.json")
    .then((r) => r.arrayBuffer())
    .then((b) => Tokenizer.fromJSON(b));
  return tokenizer;
}

function worker(): Comlink.Remote<HarnessWorker> {
  return Comlink.wrap<HarnessWorker>(new Worker(new URL("./harness.worker.ts", import.meta.url), { type: "module" }));
}

const harness = {
  probeWebGpu,
  probeWebGpuInWorker: () => worker().probeWebGpu(),
  async tokenize(texts: string[]): Promise<{ ids: number[]; decoded: string; tokens: string[] }[]> {
    const tok = await loadTokenizer();
    return texts.map((t) => {
      const ids = tok.encode(t);
      return { ids: Array.from(ids), decoded: tok.decode(ids), tokens: Array.from(ids, (i) => tok.idToToken(i)) };
    });
  },
  async referenceInWorker(prompt: number[], steps: number) {
    const w = worker();
    const loaded = await w.loadReference(MODEL_URL);
    const { tokens, promptLogits } = await w.greedy(prompt, steps);
    return {
      vocabSize: loaded.vocabSize,
      progress: loaded.progress.map((p) => `${p.stage}:${p.file}`),
      tokens,
      promptLogits: Array.from(promptLogits.subarray(0, 64)),
    };
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
document.body.dataset.ready = "true";
