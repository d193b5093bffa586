/** The model picker: the tiny test model and web-llm's prebuilt models, with why one cannot run here. */
import { TINY_MODEL_ID, type ModelRecord } from "../index.js";

export interface GpuInfo {
  webgpu: boolean;
  adapter: boolean;
  shaderF16: boolean;
  text: string;
}

export async function gpuInfo(): Promise<GpuInfo> {
  const adapter = navigator.gpu ? await navigator.gpu.requestAdapter().catch(() => null) : null;
  const shaderF16 = adapter?.features.has("shader-f16") ?? false;
  const text = !navigator.gpu
    ? "WebGPU: not available in this browser (the reference CPU runner still works)"
    : !adapter
      ? "WebGPU: no adapter"
      : `WebGPU: ${adapter.info.vendor || "?"} ${adapter.info.architecture || ""}, shader-f16 ${shaderF16 ? "yes" : "no"}`;
  return { webgpu: Boolean(navigator.gpu), adapter: Boolean(adapter), shaderF16, text };
}

export interface ModelChoice {
  id: string;
  label: string;
  /** Why it cannot run on this device, or null. */
  unavailable: string | null;
  note: string;
}

export function tinyChoice(): ModelChoice {
  return { id: TINY_MODEL_ID, label: `${TINY_MODEL_ID} (CPU, 49 MB, random weights)`, unavailable: null, note: "The project's test model on the reference CPU runner: fast to load, deterministic, its text is noise." };
}

/** web-llm's prebuilt list, loaded lazily (it is a large module). */
export async function prebuiltChoices(gpu: GpuInfo): Promise<ModelChoice[]> {
  const { prebuiltAppConfig } = await import("@mlc-ai/web-llm");
  return (prebuiltAppConfig.model_list as ModelRecord[]).map((r) => {
    const quant = /q\d+f\d+(?:_\d+)?/.exec(r.model_id)?.[0] ?? "?";
    const mb = r.vram_required_MB ? `${Math.round(r.vram_required_MB)} MB VRAM` : "VRAM unknown";
    const needsF16 = /f16/.test(quant);
    const unavailable = !gpu.webgpu ? "needs WebGPU, which this browser lacks" : !gpu.adapter ? "needs a WebGPU adapter; none was found" : needsF16 && !gpu.shaderF16 ? "needs shader-f16, which this GPU lacks (pick its q4f32 twin)" : null;
    return { id: r.model_id, label: `${r.model_id} (${quant}, ${mb})${unavailable ? " — unavailable" : ""}`, unavailable, note: `${quant} weights, ${mb}${needsF16 ? ", needs shader-f16" : ""}; downloaded from Hugging Face on first load.` };
  });
}
