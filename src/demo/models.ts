/** The model picker: the tiny test model and web-llm's prebuilt models, with why one cannot run here. */
import { TINY_MODEL_ID, type ModelRecord } from "../index.js";
import { adapterProblem } from "../runners/webgpu-check.js";

export interface GpuInfo {
  adapter: GPUAdapter | null;
  text: string;
}

export async function gpuInfo(): Promise<GpuInfo> {
  const adapter = navigator.gpu
    ? await navigator.gpu.requestAdapter({ powerPreference: "high-performance" }).catch(() => null)
    : null;
  const text = !navigator.gpu
    ? "WebGPU: not available in this browser (the reference CPU runner still works)"
    : !adapter
      ? "WebGPU: no adapter"
      : `WebGPU: ${adapter.info.vendor || "?"} ${adapter.info.architecture || ""}, shader-f16 ${adapter.features.has("shader-f16") ? "yes" : "no"}`;
  return { adapter, text };
}

export interface ModelChoice {
  id: string;
  label: string;
  /** Why it cannot run on this device, or null. */
  unavailable: string | null;
  note: string;
}

export function tinyChoice(): ModelChoice {
  return {
    id: TINY_MODEL_ID,
    label: `${TINY_MODEL_ID} (CPU, 49 MB, random weights)`,
    unavailable: null,
    note: "The project's test model on the reference CPU runner: fast to load, deterministic, its text is noise.",
  };
}

/** web-llm's prebuilt list (loaded lazily: it is a large module), checked as the engine checks before a download. */
export async function prebuiltChoices(gpu: GpuInfo): Promise<ModelChoice[]> {
  const { prebuiltAppConfig } = await import("@mlc-ai/web-llm");
  const known = prebuiltAppConfig.model_list as ModelRecord[];
  return known.map((r) => {
    const quant = /q\d+f\d+(?:_\d+)?/.exec(r.model_id)?.[0] ?? "?";
    const mb = r.vram_required_MB ? `${Math.round(r.vram_required_MB)} MB VRAM` : "VRAM unknown";
    const unavailable = !navigator.gpu
      ? "needs WebGPU, which this browser lacks."
      : !gpu.adapter
        ? "needs a WebGPU adapter; none was found."
        : (adapterProblem(r, known, gpu.adapter)?.message ?? null);
    return {
      id: r.model_id,
      label: `${r.model_id} (${quant}, ${mb})${unavailable ? " — unavailable" : ""}`,
      unavailable,
      note: `${quant} weights, ${mb}; downloaded from Hugging Face on first load.`,
    };
  });
}
