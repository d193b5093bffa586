import {
  cacheContainer,
  dirOf,
  idbContainer,
  sum,
  type CacheBackend,
  type Container,
  type FoundModel,
  type RunnerStore,
} from "../../models/store-scan.js";
import type { BaseModelRecord } from "../../models/record.js";
import type { WebLLMModelRecord } from "./record.js";
import { modelFilesUrl } from "./files-url.js";

const folderOf = (r: WebLLMModelRecord): string | null => {
  try {
    return modelFilesUrl(r.model, globalThis.location?.href);
  } catch {
    return null; // a record with an unusable URL owns no stored files
  }
};

let prebuilt: Promise<readonly WebLLMModelRecord[]> | undefined;
/** The page's records and web-llm's prebuilt list (loaded only when a web-llm store holds something: it is a large module). */
async function prebuiltRecords(own: readonly BaseModelRecord[]): Promise<readonly WebLLMModelRecord[]> {
  prebuilt ??= import("@mlc-ai/web-llm").then((m) => m.prebuiltAppConfig.model_list as WebLLMModelRecord[]);
  const mine = own.filter((r): r is WebLLMModelRecord => (r.runner ?? "webllm") === "webllm");
  return [...mine, ...(await prebuilt)];
}

/**
 * web-llm's stores (its cache scopes "webllm/model", "webllm/config", "webllm/wasm", as Cache API
 * caches or IndexedDB databases): weights and tokenizer under the model's folder URL, the chat config
 * beside them, the compiled library under its own URL. Complete as web-llm's hasModelInCache counts it
 * (the tensor-cache.json manifest and every shard it lists), plus the library.
 */
function webllmStore(backend: CacheBackend): RunnerStore {
  const make = backend === "cache" ? cacheContainer : idbContainer;
  const [model, config, wasm] = ["webllm/model", "webllm/config", "webllm/wasm"].map(make) as [Container, Container, Container];
  return {
    runner: "webllm",
    backend,
    async scan(records) {
      const modelFiles = await model.files();
      if (!modelFiles.length) return [];
      const [configFiles, wasmFiles, known] = await Promise.all([config.files(), wasm.files(), prebuiltRecords(records)]);
      const folders = new Set(modelFiles.map((f) => /^.*\/resolve\/[^/]+\//.exec(f.url)?.[0] ?? dirOf(f.url)));
      const out: FoundModel[] = [];
      for (const folder of folders) {
        const record = known.find((r) => folderOf(r) === folder);
        const own = modelFiles.filter((f) => f.url.startsWith(folder));
        const cfg = configFiles.filter((f) => f.url.startsWith(folder));
        const lib = wasmFiles.filter((f) => f.url === record?.model_lib);
        const manifest = (await model.json(folder + "tensor-cache.json")) as { records?: { dataPath: string }[] } | null;
        const have = new Set(own.map((f) => f.url));
        const complete =
          !!manifest?.records && manifest.records.every((r) => have.has(new URL(r.dataPath, folder).href)) && lib.length > 0;
        out.push({
          id: record?.model_id ?? folder,
          runner: "webllm",
          backend,
          bytes: sum(own) + sum(cfg) + sum(lib),
          files: own.length + cfg.length + lib.length,
          complete,
          lastUsed: null,
          remove: async () => {
            await model.remove(own.map((f) => f.url));
            await config.remove(cfg.map((f) => f.url));
            await wasm.remove(lib.map((f) => f.url));
          },
        });
      }
      return out;
    },
  };
}

/** web-llm's stores, as Cache API caches or IndexedDB databases (its appConfig.cacheBackend). */
export const webllmStores: readonly RunnerStore[] = [webllmStore("cache"), webllmStore("indexeddb")];
