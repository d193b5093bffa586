import { fetchJson } from "../../models/fetch-json.js";
import { folderUrl } from "../../models/record.js";

/** The dtypes of the transformers.js layout and the suffix of their graph file (`onnx/model<suffix>.onnx`). */
const ONNX_DTYPES = {
  fp32: "",
  fp16: "_fp16",
  q4: "_q4",
  q4f16: "_q4f16",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  bnb4: "_bnb4",
} as const;
export type OnnxDtype = keyof typeof ONNX_DTYPES;
export const ONNX_DTYPE_NAMES = Object.keys(ONNX_DTYPES) as OnnxDtype[];

/** dtypes whose kernels compute in f16 (WebGPU needs `shader-f16` for them). */
export const F16_DTYPES: readonly OnnxDtype[] = ["fp16", "q4f16"];

/** The parts of a transformers.js model's config.json the runner reads. */
export interface OnnxFolderConfig {
  vocab_size?: number;
  max_position_embeddings?: number;
  "transformers.js_config"?: {
    /** true or a chunk count for every graph, or per graph file name. */
    use_external_data_format?: boolean | number | Record<string, boolean | number>;
  };
}

export interface OnnxFolder {
  base: string;
  config: OnnxFolderConfig;
  /** Path of the graph inside the folder ("onnx/model_q4.onnx"). */
  graph: string;
  /** Paths of its external-data files ("onnx/model_q4.onnx_data", "…_data_1", …). */
  externalData: string[];
}

/** The graph file of a dtype inside a transformers.js folder ("onnx/model_q4.onnx"). */
export function graphFile(dtype: OnnxDtype): string {
  return `onnx/model${ONNX_DTYPES[dtype]}.onnx`;
}

/** The external-data files config.json declares for a graph ("onnx/model_q4.onnx_data", "…_data_1", …). */
export function externalDataFiles(config: OnnxFolderConfig | null, graph: string): string[] {
  const name = graph.split("/").pop()!;
  const ext = config?.["transformers.js_config"]?.use_external_data_format;
  const flag = typeof ext === "object" && ext !== null ? ext[name] : ext;
  const chunks = flag === true ? 1 : typeof flag === "number" ? flag : 0;
  return Array.from({ length: chunks }, (_, i) => `${graph}_data${i === 0 ? "" : `_${i}`}`);
}

/** Read config.json and work out which files the dtype's graph is made of. */
export async function describeFolder(base: string, dtype: OnnxDtype, fetchFn: typeof fetch): Promise<OnnxFolder> {
  const config = await fetchJson<OnnxFolderConfig>(base + "config.json", fetchFn);
  const graph = graphFile(dtype);
  return { base, config, graph, externalData: externalDataFiles(config, graph) };
}

/**
 * Where the ONNX runner reads a folder: the URL as given, except a bare Hugging Face repo URL
 * ("https://huggingface.co/onnx-community/Qwen3-0.6B-ONNX") gets `resolve/main/`.
 */
export function onnxFolderUrl(model: string, base?: string): string {
  const url = folderUrl(model, base);
  return /^https:\/\/huggingface\.co\/[^/]+\/[^/]+\/$/.test(url) ? url + "resolve/main/" : url;
}
