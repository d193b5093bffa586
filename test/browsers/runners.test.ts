/**
 * The runners in every engine: the reference runner in a Worker against Node's, and the ONNX runner
 * against the fixture's reference logits (transformers for fp32, onnxruntime CPU for q4) on WASM and,
 * where the browser has WebGPU (Chromium: SwiftShader, Firefox: lavapipe), on WebGPU.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { allLogits, argmax } from "../browser/support/node-reference.js";
import { eachBrowser } from "./each-browser.js";
import type { Tab } from "./drivers/tab.js";

const ONNX_PAGE = "/test/browser/support/onnx.html";
const QWEN3 = "test/fixtures/onnx/tiny-random-qwen3/";
/** max |diff| / max |logit|, as test/browser/onnx-logits.spec.ts allows (WASM ~1e-6, WebGPU ~3e-4 seen). */
const TOLERANCE = { wasm: 1e-4, webgpu: 1e-3 } as const;

interface Reference {
  tokens: number[];
  logits: number[][];
}
const reference = (file: string): Reference => JSON.parse(readFileSync(QWEN3 + file, "utf8")) as Reference;

/** Prefill the reference tokens (every row), then decode the last two one by one: worst relative |diff|, argmax agreement. */
async function onnxAgainst(tab: Tab, ref: Reference) {
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

async function load(tab: Tab, dtype: string, device: string) {
  const r = await tab.run<{ device: string; reason: string | null; error?: unknown }>(
    `window.onnx.load(${JSON.stringify("/" + QWEN3)}, "${dtype}", "${device}")`,
  );
  if ("error" in r) throw new Error(JSON.stringify(r.error));
  return r;
}

eachBrowser("runners", (ctx, name) => {
  test("the reference runner in a Worker decodes what Node's does, logits within 1e-4", async () => {
    const tab = await ctx.tab("/test/browser/support/harness.html");
    const prompt = [151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198];
    const got = await tab.run<{ tokens: number[]; promptLogits: number[] }>(
      `window.harness.referenceInWorker(${JSON.stringify(prompt)}, 8)`,
    );
    const ids = [...prompt];
    for (let s = 0; s < 8; s++) ids.push(argmax((await allLogits(ids)).at(-1)!));
    expect(got.tokens).toEqual(ids.slice(prompt.length));
    const row = (await allLogits(prompt)).at(-1)!;
    got.promptLogits.forEach((v, i) => expect(Math.abs(v - row[i]!)).toBeLessThan(1e-4));
  });

  test.each(["fp32", "q4"] as const)("ONNX %s on WASM: logits of prefill and decode match the reference", async (dtype) => {
    const tab = await ctx.tab(ONNX_PAGE);
    expect(await load(tab, dtype, "wasm")).toMatchObject({ device: "wasm" });
    const r = await onnxAgainst(tab, reference(dtype === "q4" ? "reference_q4.json" : "reference.json"));
    expect(r.positions).toEqual([...Array(12).keys()]);
    expect(r.argmaxDiffers).toEqual([]);
    expect(r.worst).toBeLessThanOrEqual(TOLERANCE.wasm);
  });

  if (name === "webkit")
    test('no WebGPU: device "auto" runs the ONNX model on WASM and says why', async () => {
      const tab = await ctx.tab(ONNX_PAGE);
      const loaded = await load(tab, "fp32", "auto");
      expect(loaded.device).toBe("wasm");
      expect(loaded.reason).toMatch(/WebGPU/);
    });
  else
    test.each(["fp32", "q4"] as const)("ONNX %s on WebGPU: logits of prefill and decode match the reference", async (dtype) => {
      const tab = await ctx.tab(ONNX_PAGE);
      expect(await load(tab, dtype, "webgpu")).toMatchObject({ device: "webgpu" });
      const r = await onnxAgainst(tab, reference(dtype === "q4" ? "reference_q4.json" : "reference.json"));
      console.log(`${name} ONNX ${dtype} WebGPU: worst relative |diff| ${r.worst.toExponential(2)}`);
      expect(r.argmaxDiffers).toEqual([]);
      expect(r.worst).toBeLessThanOrEqual(TOLERANCE.webgpu);
    });
});
