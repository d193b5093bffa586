/**
 * The ONNX runner's logits equal the reference (transformers for fp32 graphs, onnxruntime's CPU run of
 * the same graph for q4) on WebGPU (SwiftShader) and WASM: whole-prompt prefill, token-by-token decode,
 * split prefill and a cache truncated to a shorter prefix. Models: test/fixtures/onnx/export.py.
 */
import { readFileSync } from "node:fs";
import { test, expect, type Page } from "@playwright/test";
import type { Step } from "./support/onnx.worker.js";

/** max |diff| / max |logit| allowed. Seen here: WASM ~1e-6, WebGPU up to ~3e-4 (exported graphs). */
const TOLERANCE = { wasm: 1e-4, webgpu: 1e-3 } as const;

const MODELS = [
  { name: "llama (torch.onnx.export, position_ids)", dir: "tiny-random-llama", dtype: "fp32", ref: "reference.json" },
  { name: "qwen3 (num_logits_to_keep)", dir: "tiny-random-qwen3", dtype: "fp32", ref: "reference.json" },
  { name: "qwen3 q4 (MatMulNBits)", dir: "tiny-random-qwen3", dtype: "q4", ref: "reference_q4.json" },
  // Loaded with device "auto" on the WebGPU run: it must pick WebGPU on this adapter and say so.
  {
    name: "llama GroupQueryAttention (no position_ids)",
    dir: "tiny-random-llama-gqa",
    dtype: "fp32",
    ref: "reference.json",
    auto: true,
  },
] as const;

interface Reference {
  tokens: number[];
  logits: number[][];
}

// One page (one onnxruntime wasm instance) for both devices and all models.
let onnxPage: Page;
test.describe.configure({ mode: "serial" });
test.beforeAll(async ({ browser }) => {
  onnxPage = await browser.newPage();
  onnxPage.on("pageerror", (e) => console.error("pageerror:", e.message));
  await onnxPage.goto("/test/browser/support/onnx.html");
  await expect(onnxPage.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
});
test.afterAll(() => onnxPage.close());

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** Every returned row against the reference row of its position: relative max |diff| and argmax. */
function compare(rows: { position: number; logits: number[] }[], ref: Reference, tolerance: number, positions: number[]) {
  expect(rows.map((r) => r.position)).toEqual(positions);
  let worst = 0;
  for (const r of rows) {
    const want = ref.logits[r.position]!;
    const scale = Math.max(...want.map(Math.abs));
    const diff = Math.max(...want.map((w, i) => Math.abs(w - r.logits[i]!)));
    worst = Math.max(worst, diff / scale);
    expect(argmax(r.logits), `argmax at position ${r.position}`).toBe(argmax(want));
  }
  expect(worst).toBeLessThanOrEqual(tolerance);
  return worst;
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

for (const device of ["wasm", "webgpu"] as const) {
  test(`on ${device}, every test model's prefill, decode, split prefill and truncation match the reference`, async () => {
    test.setTimeout(240_000);
    for (const m of MODELS) {
      const ref = JSON.parse(readFileSync(`test/fixtures/onnx/${m.dir}/${m.ref}`, "utf8")) as Reference;
      const t = ref.tokens;
      const n = t.length;
      const started = Date.now();
      const loaded = await onnxPage.evaluate((a) => window.onnx.load(a.url, a.dtype, a.device), {
        url: `/test/fixtures/onnx/${m.dir}/`,
        dtype: m.dtype,
        device,
      });
      expect(loaded, m.name).toMatchObject({ vocabSize: 512, device });
      const run = (steps: Step[]) => onnxPage.evaluate((s) => window.onnx.run(s), steps);
      const tol = TOLERANCE[device];
      const seen: Record<string, number> = {};
      // Whole prompt at once, every position's logits (what prompt_logprobs reads).
      seen.prefill = compare(await run([{ tokens: t, allLogits: true }]), ref, tol, range(0, n));
      // One token per step, last-position logits (the decode path: one row read back).
      seen.decode = compare(await run(t.map((x) => ({ tokens: [x] }))), ref, tol, range(0, n));
      // Prefill in three chunks over a growing cache, last rows and then all rows.
      const chunks = [t.slice(0, 5), t.slice(5, 6), t.slice(6)];
      seen.split = compare(await run(chunks.map((c) => ({ tokens: c }))), ref, tol, [4, 5, n - 1]);
      seen.splitAll = compare(await run(chunks.map((c) => ({ tokens: c, allLogits: true }))), ref, tol, range(0, n));
      // A cache cut back to 6 tokens continues as if only those 6 had been fed (prefix-cache reuse).
      seen.truncate = compare(await run([{ tokens: t }, { tokens: t.slice(6), truncateTo: 6, allLogits: true }]), ref, tol, [
        n - 1,
        ...range(6, n),
      ]);
      console.log(`${m.name}, ${device}, ${Date.now() - started} ms: max |diff| / max |logit|`, JSON.stringify(seen));
    }
  });
}
