import { REFERENCE_STORE } from "../../models/store.js";
import { recordStore, type RunnerStore } from "../../models/store-scan.js";

/** The reference runner's weights: `model.safetensors`, or `model.safetensors.index.json` and every shard it maps to. */
async function referenceWeights(names: Set<string>, json: (name: string) => Promise<unknown>): Promise<boolean> {
  if (names.has("model.safetensors")) return true;
  if (!names.has("model.safetensors.index.json")) return false;
  const index = (await json("model.safetensors.index.json")) as { weight_map?: Record<string, string> } | null;
  const shards = Object.values(index?.weight_map ?? {});
  return shards.length > 0 && shards.every((f) => names.has(f));
}

/** The Cache API store of the reference runner's folders. */
export const referenceStores: readonly RunnerStore[] = [recordStore("reference", REFERENCE_STORE, referenceWeights)];
