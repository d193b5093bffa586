/**
 * OnnxRunner in headless Chromium: prefill and decode of the tiny Qwen3 test graph
 * (test/fixtures/onnx/tiny-random-qwen3) on WASM and on WebGPU (SwiftShader here); then, in a second
 * page, generate against transformers.js's own generate (onnx-generate.ts). The page is cross-origin
 * isolated, so both sides run onnxruntime's WASM threads.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REAL_MODEL_CACHE } from "../../scripts/real-model/serve.js";
import { benchOnnxGenerate, type GenerateBench } from "./onnx-generate.js";
import { benchRealGenerate, type RealBench } from "./real-generate.js";
import { fromRuns, type Stats } from "./stats.js";
import { goto, openBenchPage } from "./page.js";

export interface OnnxBench {
  promptTokens: number;
  decodeSteps: number;
  prefillMs: Record<"wasm" | "webgpu", Stats>;
  decodeMs: Record<"wasm" | "webgpu", Stats>;
  generate: GenerateBench;
  /** The real model's rows; null when scripts/real-model/build.sh has not built it. */
  real: RealBench | null;
}

export async function benchOnnx(runs = 3, promptTokens = 64, decodeSteps = 16): Promise<OnnxBench> {
  const b = await openBenchPage(true);
  try {
    const { page } = b;
    await goto(b, "test/browser/support/onnx.html");
    const prompt = Array.from({ length: promptTokens }, (_, i) => 3 + ((i * 37) % 500));
    const prefill = { wasm: [] as number[], webgpu: [] as number[] };
    const decode = { wasm: [] as number[], webgpu: [] as number[] };
    for (const device of ["wasm", "webgpu"] as const) {
      await page.evaluate((d) => window.onnx.load("/test/fixtures/onnx/tiny-random-qwen3/", "fp32", d), device);
      await page.evaluate(([p, s]) => window.onnx.timed(p, s), [prompt, decodeSteps] as const); // compiles shaders
      for (let r = 0; r < runs; r++) {
        const t = await page.evaluate(([p, s]) => window.onnx.timed(p, s), [prompt, decodeSteps] as const);
        prefill[device].push(t.prefillMs);
        decode[device].push(t.decodeMs);
      }
    }
    await goto(b, "test/bench/browser/onnx-generate.html");
    const generate = await benchOnnxGenerate(page);
    const built = existsSync(join(REAL_MODEL_CACHE, "onnx", ".ready"));
    if (!built) console.log("real model not built (bash scripts/real-model/build.sh): no real_* rows");
    const real = built ? await benchRealGenerate(page) : null;
    return {
      generate,
      real,
      promptTokens,
      decodeSteps,
      prefillMs: { wasm: fromRuns(prefill.wasm), webgpu: fromRuns(prefill.webgpu) },
      decodeMs: { wasm: fromRuns(decode.wasm), webgpu: fromRuns(decode.webgpu) },
    };
  } finally {
    await b.close();
  }
}
