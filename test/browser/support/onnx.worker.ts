/// <reference lib="webworker" />
/** The OnnxRunner in a module Worker, as the engine runs it: load a test model, feed token plans, return logits. */
import * as Comlink from "comlink";
import { installApiErrorTransfer } from "../../../src/protocol/index.js";
import type { LoadProgress } from "../../../src/models/progress.js";
import { cachingFetch, OnnxRunner, type OnnxDeviceChoice, type OnnxDtype } from "../../../src/runners/onnx/index.js";

installApiErrorTransfer();
let runner: OnnxRunner | undefined;

/** One step of a plan: feed these tokens (after a truncate to `truncateTo` when given). */
export interface Step {
  tokens: number[];
  allLogits?: boolean;
  truncateTo?: number;
}

const api = {
  async load(url: string, dtype: OnnxDtype, device: OnnxDeviceChoice) {
    await runner?.dispose();
    const progress: LoadProgress[] = [];
    runner = await OnnxRunner.load(url, { dtype, device, fetch: cachingFetch(), onProgress: (p) => progress.push(p) });
    return { vocabSize: runner.vocabSize, device: runner.device, reason: runner.deviceReason, progress };
  },
  /** From an empty cache, run the steps; returns each returned logits row with the position it belongs to. */
  async run(steps: Step[]): Promise<{ position: number; logits: Float32Array }[]> {
    if (!runner) throw new Error("load first");
    runner.reset();
    const rows: { position: number; logits: Float32Array }[] = [];
    for (const s of steps) {
      if (s.truncateTo !== undefined) runner.truncate(s.truncateTo);
      const start = runner.cachedTokens();
      const out = await runner.forward(Int32Array.from(s.tokens), { allLogits: s.allLogits });
      const V = runner.vocabSize;
      const n = out.length / V;
      for (let i = 0; i < n; i++) rows.push({ position: start + s.tokens.length - n + i, logits: out.slice(i * V, (i + 1) * V) });
    }
    return rows;
  },
  /** Bench: ms of a prefill of `prompt`, then ms per greedy decode step over `steps` steps. */
  async timed(prompt: number[], steps: number): Promise<{ prefillMs: number; decodeMs: number }> {
    if (!runner) throw new Error("load first");
    runner.reset();
    let t0 = performance.now();
    let logits = await runner.forward(Int32Array.from(prompt));
    const prefillMs = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < steps; i++) {
      let best = 0;
      for (let j = 1; j < logits.length; j++) if (logits[j]! > logits[best]!) best = j;
      logits = await runner.forward(Int32Array.of(best));
    }
    return { prefillMs, decodeMs: (performance.now() - t0) / steps };
  },
  cachedTokens: () => runner?.cachedTokens() ?? 0,
  async dispose() {
    await runner?.dispose();
    runner = undefined;
  },
};

export type OnnxWorker = typeof api;
Comlink.expose(api);
