/// <reference lib="webworker" />
import * as Comlink from "comlink";
import type { LoadProgress } from "../../../src/models/progress.js";
import { ApiError, installApiErrorTransfer, validateRequest } from "../../../src/protocol/index.js";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";
import { probeWebGpu } from "./webgpu-probe.js";

installApiErrorTransfer();
let runner: ReferenceRunner | undefined;

const api = {
  probeWebGpu,
  validate(body: unknown): string {
    validateRequest(body);
    return "ok";
  },
  throwPlain(): never {
    throw new ApiError({ type: "rate_limit_error", message: "queue is full", code: "queue_full" });
  },
  async loadReference(url: string): Promise<{ vocabSize: number; progress: LoadProgress[] }> {
    const progress: LoadProgress[] = [];
    runner = await ReferenceRunner.load(url, { onProgress: (p) => progress.push(p) });
    return { vocabSize: runner.vocabSize, progress };
  },
  /** Greedy continuation of a prompt, with the last position's logits of the prompt. */
  async greedy(prompt: number[], steps: number): Promise<{ tokens: number[]; promptLogits: Float32Array }> {
    if (!runner) throw new Error("loadReference first");
    runner.reset();
    let logits = await runner.forward(Int32Array.from(prompt));
    const promptLogits = logits;
    const tokens: number[] = [];
    for (let i = 0; i < steps; i++) {
      let best = 0;
      for (let j = 1; j < logits.length; j++) if (logits[j]! > logits[best]!) best = j;
      tokens.push(best);
      logits = await runner.forward(Int32Array.of(best));
    }
    return { tokens, promptLogits };
  },
};

export type HarnessWorker = typeof api;
Comlink.expose(api);
