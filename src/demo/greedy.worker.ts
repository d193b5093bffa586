/// <reference lib="webworker" />
/** Demo worker: loads the tokenizer and the reference runner, streams a greedy continuation. */
import * as Comlink from "comlink";
import { Tokenizer } from "@mlc-ai/web-tokenizers";
import { ReferenceRunner } from "../runners/reference/index.js";
import type { ProgressCallback } from "../runners/runner.js";

let model: { runner: ReferenceRunner; tokenizer: Tokenizer } | undefined;

const api = {
  async load(url: string, onProgress: ProgressCallback): Promise<void> {
    const [runner, tokenizer] = await Promise.all([
      ReferenceRunner.load(url, { onProgress, contextWindow: 4096 }),
      fetch(url + "tokenizer.json").then(async (r) => {
        if (!r.ok) throw new Error(`could not fetch ${url}tokenizer.json: HTTP ${r.status}`);
        return Tokenizer.fromJSON(await r.arrayBuffer());
      }),
    ]);
    model = { runner, tokenizer };
  },
  async generate(prompt: string, maxTokens: number, onText: (text: string) => void): Promise<{ tokens: number; ms: number }> {
    if (!model) throw new Error("load a model first");
    const { runner, tokenizer } = model;
    const t0 = performance.now();
    runner.reset();
    let logits = await runner.forward(tokenizer.encode(prompt));
    const ids: number[] = [];
    for (let i = 0; i < maxTokens; i++) {
      let best = 0;
      for (let j = 1; j < logits.length; j++) if (logits[j]! > logits[best]!) best = j;
      ids.push(best);
      onText(tokenizer.decode(Int32Array.from(ids)));
      logits = await runner.forward(Int32Array.of(best));
    }
    return { tokens: ids.length, ms: performance.now() - t0 };
  },
};

export type GreedyWorker = typeof api;
Comlink.expose(api);
