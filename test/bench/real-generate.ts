/**
 * The real model (SmolLM2-135M-Instruct, scripts/real-model/build.sh) generate vs transformers.js's
 * generate on the same folder and device, alternated in one page (see onnx-generate.ts): decode on
 * WASM fp32, WASM q4 and WebGPU q4 (SwiftShader), and time to first token on a 512-token prompt.
 */
import type { Page } from "@playwright/test";
import { compare, type GenerateCompare } from "./onnx-generate.js";

const FOLDER = "SmolLM2-135M-Instruct-onnx";
const BASE = "/models/";

interface RowPlan {
  label: string;
  device: "wasm" | "webgpu";
  dtype: "fp32" | "q4";
  kind: "decode" | "prefill";
  promptTokens: number;
  newTokens: number;
  runs: number;
}

/** Keyed by the ratio's name in .bench/results.json. SwiftShader runs seconds a token: few WebGPU runs. */
export const REAL_ROWS = {
  real_wasm_fp32_vs_tjs: {
    label: "WASM fp32 decode",
    device: "wasm",
    dtype: "fp32",
    kind: "decode",
    promptTokens: 32,
    newTokens: 16,
    runs: 5,
  },
  real_wasm_q4_vs_tjs: {
    label: "WASM q4 decode",
    device: "wasm",
    dtype: "q4",
    kind: "decode",
    promptTokens: 32,
    newTokens: 16,
    runs: 5,
  },
  real_webgpu_q4_vs_tjs: {
    label: "WebGPU q4 decode",
    device: "webgpu",
    dtype: "q4",
    kind: "decode",
    promptTokens: 32,
    newTokens: 4,
    runs: 2,
  },
  real_wasm_fp32_prefill_vs_tjs: {
    label: "WASM fp32 prefill 512",
    device: "wasm",
    dtype: "fp32",
    kind: "prefill",
    promptTokens: 512,
    newTokens: 2,
    runs: 3,
  },
  real_webgpu_q4_prefill_vs_tjs: {
    label: "WebGPU q4 prefill 512",
    device: "webgpu",
    dtype: "q4",
    kind: "prefill",
    promptTokens: 512,
    newTokens: 2,
    runs: 2,
  },
} as const satisfies Record<string, RowPlan>;

export type RealRow = keyof typeof REAL_ROWS;
export type RealBench = Partial<Record<RealRow, GenerateCompare>>;

const prompt = (n: number) => Array.from({ length: n }, (_, i) => 100 + ((i * 37) % 4000));

/** On a page already at test/bench/browser/onnx-generate.html; `rows` picks a subset. */
export async function benchRealGenerate(
  page: Page,
  rows: readonly RealRow[] = Object.keys(REAL_ROWS) as RealRow[],
  warmUp = false,
): Promise<RealBench> {
  const out: RealBench = {};
  for (const key of rows) {
    const p: RowPlan = REAL_ROWS[key];
    const c = await compare(page, FOLDER, p.device, prompt(p.promptTokens), p.newTokens, p.runs, {
      dtype: p.dtype,
      base: BASE,
      warmUp,
    });
    out[key] = c.row;
    console.log(`${key}: ${JSON.stringify(realRatios({ [key]: c.row }))} first runs ${JSON.stringify(c.row.firstRun)}`);
  }
  return out;
}

/** transformers.js time over ours, per row that ran. */
export function realRatios(real: RealBench): Partial<Record<RealRow, number>> {
  const ratios: Partial<Record<RealRow, number>> = {};
  for (const [key, g] of Object.entries(real) as [RealRow, GenerateCompare][])
    ratios[key] = REAL_ROWS[key].kind === "decode" ? g.decodeRatio : g.prefillRatio;
  return ratios;
}
