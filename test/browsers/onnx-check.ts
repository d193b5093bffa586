/** The ONNX runner page (test/browser/support/onnx.html) against the fixture's reference logits. */
import { readFileSync } from "node:fs";
import { argmax } from "../browser/support/node-reference.js";
import type { Tab } from "./drivers/tab.js";

export const ONNX_PAGE = "/test/browser/support/onnx.html";
export const QWEN3 = "test/fixtures/onnx/tiny-random-qwen3/";
/** max |diff| / max |logit|, as test/browser/onnx-logits.spec.ts allows (WASM ~1e-6, WebGPU ~3e-4 seen). */
export const TOLERANCE = { wasm: 1e-4, webgpu: 1e-3 } as const;

interface Reference {
  tokens: number[];
  logits: number[][];
}
export const reference = (file: string): Reference => JSON.parse(readFileSync(QWEN3 + file, "utf8")) as Reference;

/** Prefill the reference tokens (every row), then decode the last two one by one: worst relative |diff|, argmax agreement. */
export async function onnxAgainst(tab: Tab, ref: Reference) {
  const n = ref.tokens.length;
  const steps = [
    { tokens: ref.tokens.slice(0, n - 2), allLogits: true },
    { tokens: [ref.tokens[n - 2]!] },
    { tokens: [ref.tokens[n - 1]!] },
  ];
  const rows = await tab.run<{ position: number; logits: number[] }[]>(`window.onnx.run(${JSON.stringify(steps)})`);
  let worst = 0;
  const argmaxDiffers: number[] = [];
  for (const r of rows) {
    const want = ref.logits[r.position]!;
    const scale = Math.max(...want.map(Math.abs));
    worst = Math.max(worst, Math.max(...want.map((w, i) => Math.abs(w - r.logits[i]!))) / scale);
    if (argmax(Float32Array.from(r.logits)) !== argmax(Float32Array.from(want))) argmaxDiffers.push(r.position);
  }
  return { positions: rows.map((r) => r.position), worst, argmaxDiffers };
}

/** window.onnx.load on the tiny Qwen3 folder: the device picked and why, or the typed error as data. */
export function tryLoadOnnx(tab: Tab, dtype: string, device: string) {
  return tab.run<{ device: string; reason: string | null } | { error: { status: number; code: string | null; message: string } }>(
    `window.onnx.load(${JSON.stringify("/" + QWEN3)}, "${dtype}", "${device}")`,
  );
}

export async function loadOnnx(tab: Tab, dtype: string, device: string) {
  const r = await tryLoadOnnx(tab, dtype, device);
  if ("error" in r) throw new Error(JSON.stringify(r.error));
  return r;
}
