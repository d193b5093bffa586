/**
 * Every runner, one line each: its name (a record's `runner`), the stores it keeps files in (read
 * by engine.cache in the page) and its plugin, imported only when a model of it loads (so the page
 * never loads a runner, and the worker loads only the runners it uses). A new runner is a folder
 * under runners/ and a line here.
 */
import type { RunnerStore } from "../models/store-scan.js";
import type { OnnxRecord } from "./onnx/record.js";
import { onnxStores } from "./onnx/stores.js";
import type { RunnerPlugin } from "./plugin.js";
import type { ReferenceRecord } from "./reference/record.js";
import { referenceStores } from "./reference/stores.js";
import type { ScriptedRecord } from "./scripted/record.js";
import type { WebLLMModelRecord } from "./webllm/record.js";
import { webllmStores } from "./webllm/stores.js";

export interface RunnerEntry {
  readonly name: string;
  readonly stores: readonly RunnerStore[];
  plugin(): Promise<RunnerPlugin>;
}

/** A model the engine can load: one record shape per runner, told apart by `runner`. */
export type ModelRecord = WebLLMModelRecord | ReferenceRecord | OnnxRecord | ScriptedRecord;

/** A model to load: an id (web-llm prebuilt or "tiny-random-qwen3") or a full record. */
export type ModelSpec = string | ModelRecord;

/** The runner of a record that names none (web-llm records as web-llm writes them). */
export const DEFAULT_RUNNER = "webllm";

export const RUNNERS: readonly RunnerEntry[] = [
  { name: "webllm", stores: webllmStores, plugin: async () => (await import("./webllm/plugin.js")).webllmPlugin },
  { name: "reference", stores: referenceStores, plugin: async () => (await import("./reference/plugin.js")).referencePlugin },
  { name: "onnx", stores: onnxStores, plugin: async () => (await import("./onnx/plugin.js")).onnxPlugin },
  { name: "scripted", stores: [], plugin: async () => (await import("./scripted/plugin.js")).scriptedPlugin },
];
