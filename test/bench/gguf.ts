/**
 * GGUF on the reference runner, in Node (one thread): the real model's Q4_1 file, loaded from a
 * raw read of its bytes; load time and memory against the file, and decode / prefill speed.
 */
import { readFileSync, statSync } from "node:fs";
import { wasmKernels } from "../../src/runners/reference/kernels/wasm-kernels.js";
import { modelFromGguf } from "../../src/runners/reference/gguf/model.js";
import { parseGguf } from "../../src/runners/reference/gguf/read-file.js";
import { SMOLLM2_GGUF } from "../unit/runners/gguf-fixtures.js";
import { fromRuns, type Stats } from "./stats.js";

export interface GgufBench {
  fileBytes: number;
  rawReadMs: Stats;
  loadMs: number;
  /** Bytes the loaded model holds: the kernels' wasm memory (weights) + JS heap growth. */
  memoryBytes: number;
  decodeMs: Stats;
  prefillMs: number;
  promptTokens: number;
}

export async function benchGguf(): Promise<GgufBench> {
  const fileBytes = statSync(SMOLLM2_GGUF).size;
  const reads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    readFileSync(SMOLLM2_GGUF);
    reads.push(performance.now() - t0);
  }
  const kernels = await wasmKernels();
  const memBefore = kernels.memory.buffer.byteLength;
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const bytes = new Uint8Array(readFileSync(SMOLLM2_GGUF));
  const { runner } = await modelFromGguf(parseGguf(bytes, SMOLLM2_GGUF), bytes, SMOLLM2_GGUF, { kernels, contextWindow: 2048 });
  const loadMs = performance.now() - t0;
  const memoryBytes = kernels.memory.buffer.byteLength - memBefore + Math.max(0, process.memoryUsage().heapUsed - heapBefore);

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
  return { fileBytes, rawReadMs: fromRuns(reads), loadMs, memoryBytes, decodeMs: fromRuns(steps), prefillMs, promptTokens };
}
