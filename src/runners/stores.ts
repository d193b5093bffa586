/**
 * The stores each runner keeps model files in, for engine.cache in the page. Kept apart from the
 * registry's plugin loaders so a page bundle never reaches runner code (or onnxruntime's wasm).
 */
import type { RunnerStore } from "../models/store-scan.js";
import { onnxStores } from "./onnx/stores.js";
import { referenceStores } from "./reference/stores.js";
import { webllmStores } from "./webllm/stores.js";

export const RUNNER_STORES: readonly RunnerStore[] = [...webllmStores, ...referenceStores, ...onnxStores];
