/**
 * engine.cache: what the engine's runners keep in the browser (models, their sizes, complete or
 * partial), deleting a model's files, the origin's storage quota, and asking for persistent storage.
 * Works in the page without a worker or a loaded model: the stores are the origin's, not the engine's.
 */
import type { ModelRecord } from "../runners/registry.js";
import { RUNNER_STORES } from "../runners/stores.js";
import { quotaSizes, type QuotaSizes } from "../models/storage-quota.js";
import type { CachedModel, FoundModel, RunnerStore } from "../models/store-scan.js";

export type { CachedModel, CacheBackend } from "../models/store-scan.js";
export { quotaSizes, type QuotaSizes };

export interface StorageEstimateInfo {
  /** Bytes the origin uses (all of its storage, not only the engine's); null: the browser does not say (no storage.estimate, e.g. WebKitGTK). */
  usage: number | null;
  /** Bytes the browser lets the origin use; null: the browser does not say. */
  quota: number | null;
  /** quota - usage; null when either is unknown. */
  available: number | null;
  /** Bytes of the models engine.cache lists. */
  engineBytes: number;
  /** Whether the browser keeps the origin's storage under pressure (see persist()). */
  persisted: boolean;
}

export interface ModelCacheOptions {
  /** Records of custom web-llm models, so their files are listed by model id (prebuilt ids are known). */
  records?: readonly ModelRecord[];
}

export class ModelCache {
  constructor(
    private readonly opts: ModelCacheOptions = {},
    private readonly stores: readonly RunnerStore[] = RUNNER_STORES,
  ) {}

  /** Every stored model, largest first. */
  async list(): Promise<CachedModel[]> {
    return (await this.scan()).map(({ remove: _, ...m }) => m).sort((a, b) => b.bytes - a.bytes);
  }

  /** Whether a model is stored completely (a load will not download anything). */
  async has(id: string): Promise<boolean> {
    return (await this.scan()).some((m) => m.id === id && m.complete);
  }

  /** Delete every stored file of a model, in every store; resolves with the bytes freed (0: nothing stored). */
  async delete(id: string): Promise<number> {
    let freed = 0;
    for (const m of await this.scan()) {
      if (m.id !== id) continue;
      await m.remove();
      freed += m.bytes;
    }
    return freed;
  }

  async estimate(): Promise<StorageEstimateInfo> {
    const storage = navigator.storage as StorageManager | undefined;
    const [est, models, persisted] = await Promise.all([
      storage?.estimate ? storage.estimate() : Promise.resolve({} as StorageEstimate),
      this.list(),
      storage?.persisted ? storage.persisted() : Promise.resolve(false),
    ]);
    const usage = est.usage ?? null;
    const quota = est.quota ?? null;
    return {
      usage,
      quota,
      available: usage === null || quota === null ? null : Math.max(0, quota - usage),
      engineBytes: models.reduce((n, m) => n + m.bytes, 0),
      persisted,
    };
  }

  /** Ask the browser to keep the origin's storage under pressure; resolves with whether it does. */
  async persist(): Promise<boolean> {
    const storage = navigator.storage as StorageManager | undefined;
    return storage?.persist ? storage.persist() : false;
  }

  private async scan(): Promise<FoundModel[]> {
    // Records of models with files here (a remote server's record has none to find).
    const records = (this.opts.records ?? []).filter(
      (r): r is Extract<ModelRecord, { model: string }> => typeof r.model === "string",
    );
    return (await Promise.all(this.stores.map((s) => s.scan(records)))).flat();
  }
}
