/**
 * GGUF on the reference runner, in Node (one thread): the real model's Q4_1 file, decode and
 * prefill speed (load, memory and the peers are measured in Chromium: gguf-browser.ts).
 */
import { readFileSync } from "node:fs";
import { wasmKernels } from "../../src/runners/reference/kernels/wasm-kernels.js";
import { modelFromGguf } from "../../src/runners/reference/gguf/model.js";
import { parseGguf } from "../../src/runners/reference/gguf/read-file.js";
import { SMOLLM2_GGUF } from "../unit/runners/gguf-fixtures.js";
import { fromRuns, type Stats } from "./stats.js";

export interface GgufBench {
  decodeMs: Stats;
  prefillMs: number;
  promptTokens: number;
}

export async function benchGguf(): Promise<GgufBench> {
  const kernels = await wasmKernels();
  const bytes = new Uint8Array(readFileSync(SMOLLM2_GGUF));
  const { runner } = await modelFromGguf(parseGguf(bytes, SMOLLM2_GGUF), bytes, SMOLLM2_GGUF, { kernels, contextWindow: 2048 });
  const promptTokens = 64;
  const prompt = Int32Array.from({ length: promptTokens }, (_, i) => 100 + ((i * 7919) % 40000));
  let t = performance.now();
  await runner.forward(prompt);
  const prefillMs = performance.now() - t;
  const steps: number[] = [];
  for (let i = 0; i < 16; i++) {
    t = performance.now();
    await runner.forward(Int32Array.of(200 + i));
    steps.push(performance.now() - t);
  }
  return { decodeMs: fromRuns(steps), prefillMs, promptTokens };
}
