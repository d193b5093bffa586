/**
 * Half-precision graphs (test/fixtures/onnx/export_f16.py: fp16, and q4f16 = fp16 with 4-bit MatMulNBits):
 * half KV cache in and out, half logits read back. Against onnxruntime's CPU run of the same graph, on
 * WASM in every engine and on WebGPU where the adapter has shader-f16 (Firefox on lavapipe).
 */
import { expect, test } from "vitest";
import { eachBrowser } from "./each-browser.js";
import { loadOnnx, onnxAgainst, ONNX_PAGE, reference, tryLoadOnnx } from "./onnx-check.js";

/**
 * max |diff| / max |logit| against the CPU run. Half precision has an 11-bit significand (relative step
 * 2^-11 ≈ 4.9e-4); kernels that round intermediates differently (GPU f16 accumulation vs CPU) drift by
 * some steps over 2 layers; 1e-2 is ~20 steps. Prefill and cached decode rows are both checked.
 */
const F16_TOLERANCE = 1e-2;
const DTYPES = ["fp16", "q4f16"] as const;

eachBrowser("f16 graphs", (ctx, name) => {
  test.each(DTYPES)("%s on WASM: logits of prefill and decode match onnxruntime CPU on the same graph", async (dtype) => {
    const tab = await ctx.tab(ONNX_PAGE);
    expect(await loadOnnx(tab, dtype, "wasm")).toMatchObject({ device: "wasm" });
    const r = await onnxAgainst(tab, reference(`reference_${dtype}.json`));
    console.log(`${name} ${dtype} WASM: worst relative |diff| ${r.worst.toExponential(2)}`);
    expect(r.positions).toEqual([...Array(12).keys()]);
    expect(r.argmaxDiffers).toEqual([]);
    expect(r.worst).toBeLessThanOrEqual(F16_TOLERANCE);
  });

  if (name === "firefox")
    test.each(DTYPES)("%s on WebGPU with shader-f16: logits of prefill and decode match onnxruntime CPU", async (dtype) => {
      const tab = await ctx.tab(ONNX_PAGE);
      expect(await loadOnnx(tab, dtype, "webgpu")).toMatchObject({ device: "webgpu" });
      const r = await onnxAgainst(tab, reference(`reference_${dtype}.json`));
      console.log(`${name} ${dtype} WebGPU: worst relative |diff| ${r.worst.toExponential(2)}`);
      expect(r.positions).toEqual([...Array(12).keys()]);
      expect(r.argmaxDiffers).toEqual([]);
      expect(r.worst).toBeLessThanOrEqual(F16_TOLERANCE);
    });
  if (name === "chromium")
    test("fp16 on WebGPU without shader-f16 (SwiftShader) is a typed 503 that names the way out", async () => {
      const r = await tryLoadOnnx(await ctx.tab(ONNX_PAGE), "fp16", "webgpu");
      expect(r).toMatchObject({ error: { status: 503, code: "shader_f16_unsupported" } });
      expect(JSON.stringify(r)).toContain('device: \\"wasm\\"');
    });
});
