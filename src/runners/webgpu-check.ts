import { ApiError } from "../protocol/errors.js";
import type { WebLLMModelRecord } from "./webllm/record.js";

/** Quantizations whose kernels use f16 arithmetic (q4f16_1, q0f16, ...): they need `shader-f16`. */
const F16 = /q\d+f16/;

/**
 * What a model needs of the WebGPU adapter, checked before any download so a page learns at once
 * (503, naming a model that would work) instead of after fetching gigabytes.
 */
export async function checkWebGpu(
  record: WebLLMModelRecord,
  known: readonly WebLLMModelRecord[],
  gpu: GPU | undefined,
): Promise<GPUAdapter> {
  const fallback = `Use a model with runner: "reference" (e.g. "tiny-random-qwen3") or an ONNX model (runner: "onnx", device: "wasm"), which run on the CPU.`;
  if (!gpu)
    throw unavailable(
      `WebGPU is not available in this browser or context (navigator.gpu is missing), so "${record.model_id}" cannot run. ${fallback}`,
      "webgpu_unavailable",
    );
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter)
    throw unavailable(
      `No WebGPU adapter was found (the GPU may be blocklisted or disabled), so "${record.model_id}" cannot run. ${fallback}`,
      "webgpu_no_adapter",
    );
  const problem = adapterProblem(record, known, adapter);
  if (problem) throw problem;
  return adapter;
}

/** Why `adapter` cannot run `record` (a missing feature, buffers too small), or null when it can. */
export function adapterProblem(
  record: WebLLMModelRecord,
  known: readonly WebLLMModelRecord[],
  adapter: GPUAdapter,
): ApiError | null {
  const needs = new Set(record.required_features ?? []);
  if (F16.test(record.model_id)) needs.add("shader-f16");
  for (const feature of needs) {
    if (adapter.features.has(feature as GPUFeatureName)) continue;
    const alt = feature === "shader-f16" ? f32Alternative(record, known) : undefined;
    const suggestion = alt ? ` Use "${alt}" instead, which does not need it.` : ` Pick a q4f32 model instead.`;
    return unavailable(
      `"${record.model_id}" needs the WebGPU feature "${feature}", which this adapter does not have.${suggestion}`,
      feature === "shader-f16" ? "shader_f16_unsupported" : "webgpu_feature_unsupported",
    );
  }
  // web-llm binds each weight as one storage buffer, so its limit is the binding size, not maxBufferSize.
  const need = record.buffer_size_required_bytes;
  const has = adapter.limits.maxStorageBufferBindingSize;
  if (need && has < need) {
    return unavailable(
      `"${record.model_id}" needs WebGPU storage buffer bindings of ${need} bytes; this adapter allows ${has}. Pick a smaller model (a "-1k" or 0.5B-1B variant).`,
      "webgpu_buffer_too_small",
    );
  }
  return null;
}

/** The f32 twin of an f16 model ("…-q4f16_1-MLC" → "…-q4f32_1-MLC"), else the smallest f32 model. */
function f32Alternative(record: WebLLMModelRecord, known: readonly WebLLMModelRecord[]): string | undefined {
  const usable = known.filter((m) => !F16.test(m.model_id) && !(m.required_features ?? []).includes("shader-f16"));
  const twin = record.model_id.replace(/q(\d+)f16/, "q$1f32");
  if (usable.some((m) => m.model_id === twin)) return twin;
  return usable.filter((m) => m.vram_required_MB).sort((a, b) => a.vram_required_MB! - b.vram_required_MB!)[0]?.model_id;
}

function unavailable(message: string, code: string): ApiError {
  return new ApiError({ type: "service_unavailable_error", message: message, param: "model", code: code });
}
