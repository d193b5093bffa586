/**
 * A download the browser's storage quota cannot hold: an ApiError (507-like, sent as 503 so
 * clients retry after freeing space) whose message carries the sizes, and the parser that reads
 * them back on the page (an ApiError crossing the worker boundary keeps type, param, code, message).
 */
import { ApiError } from "../protocol/errors.js";

const QUOTA_CODE = "storage_quota_exceeded";

export interface QuotaSizes {
  /** Bytes the file (or model) being stored needs. */
  needed: number;
  /** Bytes the origin had left under its quota when the write was refused. */
  available: number;
}

export function storageQuotaError(url: string, sizes: QuotaSizes): ApiError {
  return new ApiError({
    type: "service_unavailable_error",
    message:
      `Not enough storage to keep ${url}: needed ${sizes.needed} bytes, available ${sizes.available} bytes. ` +
      `Free space (engine.cache.delete a model you no longer use) or ask for more with engine.cache.persist(); nothing of this model was kept.`,
    param: "model",
    code: QUOTA_CODE,
  });
}

/** The sizes of a storage quota error (an ApiError with code storage_quota_exceeded), or null for any other error. */
export function quotaSizes(e: unknown): QuotaSizes | null {
  if (!(e instanceof ApiError) || e.code !== QUOTA_CODE) return null;
  const m = /needed (\d+) bytes, available (\d+) bytes/.exec(e.message);
  return m ? { needed: Number(m[1]), available: Number(m[2]) } : null;
}

/** Whether a thrown thing is the browser refusing a write over quota. */
export function isQuotaExceeded(e: unknown): boolean {
  return e instanceof DOMException && (e.name === "QuotaExceededError" || e.code === 22);
}

/** Bytes the origin may still write, or null when the browser does not say. */
export async function storageAvailable(): Promise<number | null> {
  const storage = (globalThis.navigator as Navigator | undefined)?.storage;
  if (!storage?.estimate) return null;
  const { usage, quota } = await storage.estimate();
  return quota === undefined ? null : Math.max(0, quota - (usage ?? 0));
}
