/**
 * OnnxRunner in headless Chromium: prefill and decode of the tiny Qwen3 test graph
 * (test/fixtures/onnx/tiny-random-qwen3) on WASM and on WebGPU (SwiftShader here); then, in a second
 * page, generate against transformers.js's own generate (onnx-generate.ts).
 */
import { chromium } from "@playwright/test";
import { createServer } from "vite";
import { chromiumLaunchOptions } from "../browser/support/chromium.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REAL_MODEL_CACHE } from "../../scripts/real-model/serve.js";
import { benchOnnxGenerate, type GenerateBench } from "./onnx-generate.js";
import { benchRealGenerate, type RealBench } from "./real-generate.js";
import { fromRuns, type Stats } from "./stats.js";

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
  const server = await createServer({
    logLevel: "error",
    // Cross-origin isolated, so workers' performance.now() ticks in µs, not 0.1 ms (both sides still run one wasm thread).
    server: {
      port: 0,
      host: "127.0.0.1",
      headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" },
    },
    // Scan only these pages (the default scan trips over test/consumers/), and pre-bundle transformers.js
    // up front so Vite does not reload the page when the peer worker first imports it.
    optimizeDeps: {
      entries: ["test/browser/support/onnx.html", "test/bench/browser/onnx-generate.html"],
      include: ["@huggingface/transformers"],
    },
  });
  await server.listen();
  const url = server.resolvedUrls!.local[0]!;
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.goto(url + "test/browser/support/onnx.html");
    await page.locator("body[data-ready=true]").waitFor({ state: "attached", timeout: 120_000 });
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
    await page.goto(url + "test/bench/browser/onnx-generate.html");
    await page.locator("body[data-ready=true]").waitFor({ state: "attached", timeout: 120_000 });
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
    await browser.close();
    await server.close();
  }
}
