/** The model picker: SmolLM2 (real), the tiny test model and web-llm's prebuilt models, with size, runner, device fit and storage state. */
import { CATALOG, TINY_MODEL_ID, type CachedModel, type ModelRecord, type WebLLMModelRecord } from "../index.js";
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
  /** What to load when not the id itself. */
  spec?: ModelRecord;
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

/** The real model the demo starts with: SmolLM2-135M-Instruct, q4 on ONNX (the catalog's first entry). */
const REAL = CATALOG[0]!;

/**
 * Its choice, loading from `folder`: on WebGPU when the adapter is a real GPU; on WebAssembly when
 * there is none or it is a software one (SwiftShader decodes at seconds a token, WASM at ~0.1 s).
 */
export function realChoice(gpu: GpuInfo, folder: string): ModelChoice {
  const software = !gpu.adapter || gpu.adapter.info.isFallbackAdapter || gpu.adapter.info.architecture === "swiftshader";
  const device = software ? "wasm" : "webgpu";
  const where = software ? "CPU (WebAssembly)" : "WebGPU";
  return {
    id: REAL.id,
    spec: { model_id: REAL.id, model: folder, runner: "onnx", dtype: "q4", device },
    label: `${REAL.id} (real model, ${where}, ${REAL.downloadMB} MB)`,
    unavailable: null,
    note: `SmolLM2-135M-Instruct, a small trained chat model, 4-bit on ONNX Runtime Web (${where}): short sensible answers. Served by this app when built (scripts/real-model/build.sh), else downloaded from Hugging Face (${REAL.repo}) once and kept in this browser.`,
  };
}

/** Where the real model loads from: this app's folder when served, else the Hub when it answers, else null. */
export async function realModelFolder(): Promise<string | null> {
  const folders = [
    new URL(`/models/${REAL.localFolder}/`, location.href).href,
    `https://huggingface.co/${REAL.repo}/resolve/${REAL.revision}/`,
  ];
  for (const folder of folders) {
    const ok = await fetch(folder + "config.json", { method: "HEAD", signal: AbortSignal.timeout(3000) }).then(
      // Vite and other single-page-app hosts answer a missing file with index.html.
      (r) => r.ok && !(r.headers.get("content-type") ?? "").includes("text/html"),
      () => false,
    );
    if (ok) return folder;
  }
  return null;
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
