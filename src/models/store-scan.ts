/**
 * Reading the stores runners keep downloaded files in, from the page: a store is a few URL-keyed
 * containers (Cache API caches or IndexedDB databases) and a rule that groups their files into
 * models. Each runner names its own stores (its `stores.ts`, listed in runners/registry.ts).
 */
import { MODEL_RECORD_FILE, type StoredModelRecord } from "./store.js";
import type { BaseModelRecord } from "./record.js";

export type CacheBackend = "cache" | "indexeddb";

/** One model's files in one store. */
export interface CachedModel {
  id: string;
  runner: string;
  backend: CacheBackend;
  /** Bytes the model's files take (as stored: response bodies, or IndexedDB values). */
  bytes: number;
  files: number;
  /** Every file a load needs is stored (a load will not download anything). */
  complete: boolean;
  /** When a load last read it (ms since the epoch), or null when the store does not record it. */
  lastUsed: number | null;
}

export interface FoundModel extends CachedModel {
  /** Delete every file of this model from its store. */
  remove(): Promise<void>;
}

export interface RunnerStore {
  runner: string;
  backend: CacheBackend;
  /** `records`: the page's own model records, so a store can name their files by model id. */
  scan(records: readonly BaseModelRecord[]): Promise<FoundModel[]>;
}

export interface StoredFile {
  url: string;
  bytes: number;
}

/** URL-keyed files in one Cache API cache or one IndexedDB database (web-llm's layout: store "urls", {url, data}). */
export interface Container {
  files(): Promise<StoredFile[]>;
  json(url: string): Promise<unknown>;
  remove(urls: string[]): Promise<void>;
}

export function cacheContainer(name: string): Container {
  const open = async () => ((await caches.has(name)) ? caches.open(name) : null);
  return {
    async files() {
      const cache = await open();
      if (!cache) return [];
      const out: StoredFile[] = [];
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        if (!res) continue;
        const length = res.headers.get("content-encoding") ? null : res.headers.get("content-length");
        // A Blob of a cached body is disk-backed: its size does not read the body into memory.
        out.push({ url: req.url, bytes: length !== null ? Number(length) : (await res.blob()).size });
      }
      return out;
    },
    async json(url) {
      const res = await (await open())?.match(url);
      return res ? res.json() : null;
    },
    async remove(urls) {
      const cache = await open();
      if (cache) for (const url of urls) await cache.delete(url);
    },
  };
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export function idbContainer(name: string): Container {
  // Opening a database that does not exist would create it: check the list first.
  const open = async (): Promise<IDBDatabase | null> => {
    if (typeof indexedDB === "undefined") return null;
    const dbs = await indexedDB.databases();
    if (!dbs.some((d) => d.name === name)) return null;
    const db = await request(indexedDB.open(name));
    if (db.objectStoreNames.contains("urls")) return db;
    db.close();
    return null;
  };
  const size = (data: unknown): number =>
    data instanceof ArrayBuffer || ArrayBuffer.isView(data)
      ? data.byteLength
      : new Blob([typeof data === "string" ? data : JSON.stringify(data ?? null)]).size;
  return {
    async files() {
      const db = await open();
      if (!db) return [];
      const out: StoredFile[] = [];
      await new Promise<void>((resolve, reject) => {
        const cursor = db.transaction("urls").objectStore("urls").openCursor();
        cursor.onerror = () => reject(cursor.error);
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (!c) return resolve();
          const v = c.value as { url: string; data: unknown };
          out.push({ url: v.url, bytes: size(v.data) });
          c.continue();
        };
      });
      db.close();
      return out;
    },
    async json(url) {
      const db = await open();
      if (!db) return null;
      const v = (await request(db.transaction("urls").objectStore("urls").get(url))) as { data: unknown } | undefined;
      db.close();
      const data = v?.data;
      if (data instanceof ArrayBuffer) return JSON.parse(new TextDecoder().decode(data)) as unknown;
      return typeof data === "string" ? (JSON.parse(data) as unknown) : (data ?? null);
    },
    async remove(urls) {
      const db = await open();
      if (!db) return;
      const tx = db.transaction("urls", "readwrite");
      for (const url of urls) tx.objectStore("urls").delete(url);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
  };
}

export const dirOf = (url: string) => url.slice(0, url.lastIndexOf("/") + 1);
export const sum = (files: StoredFile[]) => files.reduce((n, f) => n + f.bytes, 0);

/**
 * A store written by storingFetch (store.ts): files under a model's folder URL
 * (subfolders included, as an ONNX folder's onnx/) and one record per folder naming the model. Files
 * under no record's folder are listed by their own folder.
 */
export function recordStore(
  runner: string,
  cacheName: string,
  /** Further completeness rule over the folder's file names (e.g. a checkpoint's shards). */
  completeWhen: (
    names: Set<string>,
    json: (name: string) => Promise<unknown>,
    record: StoredModelRecord,
  ) => Promise<boolean> = async () => true,
): RunnerStore {
  const box = cacheContainer(cacheName);
  return {
    runner,
    backend: "cache",
    async scan() {
      const files = await box.files();
      const recorded = files.filter((f) => f.url.endsWith("/" + MODEL_RECORD_FILE)).map((f) => dirOf(f.url));
      // A file belongs to the deepest recorded folder holding it.
      const ownerOf = (url: string) =>
        recorded
          .filter((dir) => url.startsWith(dir))
          .reduce<string | null>((a, b) => (a && a.length >= b.length ? a : b), null) ?? dirOf(url);
      const folders = new Map<string, StoredFile[]>();
      for (const f of files) {
        const owner = ownerOf(f.url);
        folders.set(owner, [...(folders.get(owner) ?? []), f]);
      }
      const out: FoundModel[] = [];
      for (const [folder, inside] of folders) {
        const record = (await box.json(folder + MODEL_RECORD_FILE)) as StoredModelRecord | null;
        const names = new Set(inside.map((f) => f.url.slice(folder.length)));
        const modelFiles = inside.filter((f) => !f.url.endsWith(MODEL_RECORD_FILE));
        out.push({
          id: record?.model_id ?? folder,
          runner,
          backend: "cache",
          bytes: sum(modelFiles),
          files: modelFiles.length,
          complete:
            !!record &&
            record.required.every((f) => names.has(f)) &&
            (await completeWhen(names, (n) => box.json(folder + n), record)),
          lastUsed: record?.last_used ?? null,
          remove: () => box.remove(inside.map((f) => f.url)),
        });
      }
      return out;
    },
  };
}
