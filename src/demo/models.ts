/** The model picker: the tiny test model and web-llm's prebuilt models, with size, runner, device fit and storage state. */
import { TINY_MODEL_ID, type CachedModel, type WebLLMModelRecord } from "../index.js";
import { adapterProblem } from "../runners/webllm/webgpu-check.js";
import { mb } from "./progress.js";

export interface GpuInfo {
  adapter: GPUAdapter | null;
  text: string;
}

export async function gpuInfo(): Promise<GpuInfo> {
  const adapter = navigator.gpu
    ? await navigator.gpu.requestAdapter({ powerPreference: "high-performance" }).catch(() => null)
    : null;
  const text = !navigator.gpu
    ? "WebGPU: not available in this browser (the CPU test model still works)"
    : !adapter
      ? "WebGPU: no adapter (the CPU test model still works)"
      : `WebGPU: ${adapter.info.vendor || "?"} ${adapter.info.architecture || ""}, shader-f16 ${adapter.features.has("shader-f16") ? "yes" : "no"}`;
  return { adapter, text };
}

export interface ModelChoice {
  id: string;
  /** What the option shows, before its storage state. */
  label: string;
  /** Why it cannot run on this device, or null. */
  unavailable: string | null;
  note: string;
}

/** The tiny model's size on disk (public/models/tiny-random-qwen3), for the picker before it is stored. */
const TINY_MB = 50.6;

export function tinyChoice(): ModelChoice {
  return {
    id: TINY_MODEL_ID,
    label: `${TINY_MODEL_ID} (test model, CPU, ${TINY_MB} MB)`,
    unavailable: null,
    note: "A test model with random weights on the reference CPU runner: it loads in seconds and runs anywhere, and its text is noise by design. Use it to try the API, tools, structured output and logprobs.",
  };
}

/** web-llm's prebuilt list (loaded lazily: it is a large module), checked as the engine checks before a download. */
export async function prebuiltChoices(gpu: GpuInfo): Promise<ModelChoice[]> {
  const { prebuiltAppConfig } = await import("@mlc-ai/web-llm");
  const known = prebuiltAppConfig.model_list as WebLLMModelRecord[];
  return known.map((r) => {
    const quant = /q\d+f\d+(?:_\d+)?/.exec(r.model_id)?.[0] ?? "?";
    const vram = r.vram_required_MB ? `${mb(r.vram_required_MB * 1e6)} GPU memory` : "GPU memory unknown";
    const unavailable = !navigator.gpu
      ? "needs WebGPU, which this browser lacks."
      : !gpu.adapter
        ? "needs a WebGPU adapter; none was found."
        : (adapterProblem(r, known, gpu.adapter)?.message ?? null);
    return {
      id: r.model_id,
      label: `${r.model_id} · WebGPU · ${vram}${unavailable ? " · does not fit this device" : ""}`,
      unavailable,
      note: `${quant} weights on WebGPU (web-llm), needs about ${vram}; downloaded from Hugging Face on first load, then kept in this browser.`,
    };
  });
}

/** The option text: the choice's label plus whether its files are stored. */
export function optionLabel(c: ModelChoice, stored: CachedModel | undefined): string {
  if (!stored) return c.label;
  return `${c.label} · ${stored.complete ? "stored" : "partly stored"}`;
}
