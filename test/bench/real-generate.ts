/**
 * The real model (SmolLM2-135M-Instruct, scripts/real-model/build.sh) generate vs transformers.js's
 * generate on the same folder and device, alternated in one page (see onnx-generate.ts): decode on
 * WASM fp32, WASM q4 and WebGPU q4 (SwiftShader), and time to first token on a 512-token prompt.
 */
import type { Page } from "@playwright/test";
import { compare, type GenerateCompare } from "./onnx-generate.js";

const FOLDER = "SmolLM2-135M-Instruct-onnx";
const BASE = "/models/";

export interface RealBench {
  decode: { wasm_fp32: GenerateCompare; wasm_q4: GenerateCompare; webgpu_q4: GenerateCompare };
  prefill: { wasm_fp32: GenerateCompare; webgpu_q4: GenerateCompare };
}

const prompt = (n: number) => Array.from({ length: n }, (_, i) => 100 + ((i * 37) % 4000));

/** On a page already at test/bench/browser/onnx-generate.html. SwiftShader runs seconds a token: few WebGPU runs. */
export async function benchRealGenerate(page: Page): Promise<RealBench> {
  const row = async (device: "wasm" | "webgpu", dtype: "fp32" | "q4", promptTokens: number, newTokens: number, runs: number) =>
    (await compare(page, FOLDER, device, prompt(promptTokens), newTokens, runs, { dtype, base: BASE })).row;
  return {
    decode: {
      wasm_fp32: await row("wasm", "fp32", 32, 16, 5),
      wasm_q4: await row("wasm", "q4", 32, 16, 5),
      webgpu_q4: await row("webgpu", "q4", 32, 4, 2),
    },
    prefill: {
      wasm_fp32: await row("wasm", "fp32", 512, 2, 3),
      webgpu_q4: await row("webgpu", "q4", 512, 2, 2),
    },
  };
}
