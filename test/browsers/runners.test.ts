/**
 * The runners in every engine: the reference runner in a Worker against Node's, and the ONNX runner
 * against the fixture's reference logits (transformers for fp32, onnxruntime CPU for q4) on WASM and,
 * where the browser has WebGPU (Chromium: SwiftShader, Firefox: lavapipe), on WebGPU.
 */
import { expect, test } from "vitest";
import { allLogits, argmax } from "../browser/support/node-reference.js";
import { eachBrowser } from "./each-browser.js";
import { loadOnnx, onnxAgainst, ONNX_PAGE, reference, TOLERANCE } from "./onnx-check.js";

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
    expect(await loadOnnx(tab, dtype, "wasm")).toMatchObject({ device: "wasm" });
    const r = await onnxAgainst(tab, reference(dtype === "q4" ? "reference_q4.json" : "reference.json"));
    expect(r.positions).toEqual([...Array(12).keys()]);
    expect(r.argmaxDiffers).toEqual([]);
    expect(r.worst).toBeLessThanOrEqual(TOLERANCE.wasm);
  });

  if (name === "webkit")
    test('no WebGPU: device "auto" runs the ONNX model on WASM and says why', async () => {
      const tab = await ctx.tab(ONNX_PAGE);
      const loaded = await loadOnnx(tab, "fp32", "auto");
      expect(loaded.device).toBe("wasm");
      expect(loaded.reason).toMatch(/WebGPU/);
    });
  else
    test.each(["fp32", "q4"] as const)("ONNX %s on WebGPU: logits of prefill and decode match the reference", async (dtype) => {
      const tab = await ctx.tab(ONNX_PAGE);
      expect(await loadOnnx(tab, dtype, "webgpu")).toMatchObject({ device: "webgpu" });
      const r = await onnxAgainst(tab, reference(dtype === "q4" ? "reference_q4.json" : "reference.json"));
      console.log(`${name} ONNX ${dtype} WebGPU: worst relative |diff| ${r.worst.toExponential(2)}`);
      expect(r.argmaxDiffers).toEqual([]);
      expect(r.worst).toBeLessThanOrEqual(TOLERANCE.webgpu);
    });
});
