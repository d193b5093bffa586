/** The model picker: SmolLM2 (real), the tiny test model and web-llm's prebuilt models, with size, runner, device fit and storage state. */
import { CATALOG, TINY_MODEL_ID, type CachedModel, type ModelRecord, type WebLLMModelRecord } from "../index.js";
import { adapterProblem } from "../runners/webllm/webgpu-check.js";
import { mb } from "./progress.js";

export interface GpuInfo {
  adapter: GPUAdapter | null;
}

export async function gpuInfo(): Promise<GpuInfo> {
  const adapter = navigator.gpu
    ? await navigator.gpu.requestAdapter({ powerPreference: "high-performance" }).catch(() => null)
    : null;
  return { adapter };
}

export interface ModelChoice {
  id: string;
  /** What to load when not the id itself. */
  spec?: ModelRecord;
  /** What the option shows, before its storage state. */
  label: string;
  /** The picker's group: where the model comes from, and its size class. */
  group: string;
  /** Why it cannot run on this device, or null. */
  unavailable: string | null;
  note: string;
}

/** The tiny model's size on disk (public/models/tiny-random-qwen3), for the picker before it is stored. */
const TINY_MB = 50.6;
/** web-llm's ModelType.embedding: such models answer no chat request, so the picker leaves them out. */
const EMBEDDING = 1;

export function tinyChoice(): ModelChoice {
  return {
    id: TINY_MODEL_ID,
    label: `${TINY_MODEL_ID} · test model, random weights · ${TINY_MB} MB download`,
    group: "Test model · CPU",
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
    group: "Real models, ONNX (under 200 MB)",
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
/** The short reason an option shows when it cannot run here. */
function shortReason(r: WebLLMModelRecord, problem: string): string {
  if (/shader-f16/.test(problem)) return "needs shader-f16, which this GPU lacks";
  if (/adapter/i.test(problem) && !/buffer/i.test(problem)) return "needs a WebGPU adapter";
  if (/WebGPU/.test(problem) && !navigator.gpu) return "needs WebGPU";
  return r.vram_required_MB ? "too large for this GPU" : "cannot run here";
}

function sizeGroup(vramMB: number | undefined): string {
  if (!vramMB) return "WebGPU (web-llm) · size unknown";
  if (vramMB < 1500) return "WebGPU (web-llm) · small, under 1.5 GB";
  if (vramMB < 5000) return "WebGPU (web-llm) · medium, 1.5 to 5 GB";
  return "WebGPU (web-llm) · large, over 5 GB";
}

/**
 * web-llm's prebuilt chat models (loaded lazily: it is a large module), checked as the engine checks
 * before a download, smallest first; embedding models are left out.
 */
export async function prebuiltChoices(gpu: GpuInfo): Promise<ModelChoice[]> {
  const { prebuiltAppConfig } = await import("@mlc-ai/web-llm");
  const known = prebuiltAppConfig.model_list as WebLLMModelRecord[];
  return known
    .filter((r) => r.model_type !== EMBEDDING)
    .sort((a, b) => (a.vram_required_MB ?? Infinity) - (b.vram_required_MB ?? Infinity))
    .map((r) => {
      const quant = /q\d+f\d+(?:_\d+)?/.exec(r.model_id)?.[0] ?? "?";
      const vram = r.vram_required_MB ? `${mb(r.vram_required_MB * 1e6)} GPU memory` : "GPU memory unknown";
      const unavailable = !navigator.gpu
        ? "needs WebGPU, which this browser lacks."
        : !gpu.adapter
          ? "needs a WebGPU adapter; none was found."
          : (adapterProblem(r, known, gpu.adapter)?.message ?? null);
      return {
        id: r.model_id,
        label: `${r.model_id} · ${vram}${unavailable ? ` · ${shortReason(r, unavailable)}` : ""}`,
        group: sizeGroup(r.vram_required_MB),
        unavailable,
        note: `${quant} weights on WebGPU (web-llm), needs about ${vram}; downloaded from Hugging Face on first load (the download size shows once it starts), then kept in this browser.`,
      };
    });
}

/** The option text: the choice's label plus whether its files are stored. */
export function optionLabel(c: ModelChoice, stored: CachedModel | undefined): string {
  if (!stored) return c.label;
  return `${c.label} · ${stored.complete ? "stored" : "partly stored"}`;
}

/** The picker's options in groups (in the order groups first appear), unrunnable ones disabled. */
export function pickerGroups(choices: readonly ModelChoice[], label: (c: ModelChoice) => string): HTMLOptGroupElement[] {
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const c of choices) {
    let g = groups.get(c.group);
    if (!g) {
      g = document.createElement("optgroup");
      g.label = c.group;
      groups.set(c.group, g);
    }
    const o = new Option(label(c), c.id);
    o.disabled = c.unavailable !== null;
    g.append(o);
  }
  return [...groups.values()];
}
