import { ONNX_STORE, type StoredModelRecord } from "../../models/store.js";
import { recordStore, type RunnerStore } from "../../models/store-scan.js";
import { externalDataFiles, type OnnxFolderConfig } from "./folder.js";

/** An ONNX model's graphs: each required one with the external-data files config.json declares for it. */
async function onnxExternalData(
  names: Set<string>,
  json: (name: string) => Promise<unknown>,
  record: StoredModelRecord,
): Promise<boolean> {
  const config = (await json("config.json")) as OnnxFolderConfig | null;
  return record.required
    .filter((f) => f.endsWith(".onnx"))
    .every((graph) => externalDataFiles(config, graph).every((f) => names.has(f)));
}

/** The Cache API store of ONNX folders (config, tokenizer, graphs, external data). */
export const onnxStores: readonly RunnerStore[] = [recordStore("onnx", ONNX_STORE, onnxExternalData)];
