import * as Comlink from "comlink";
import { toApiError } from "../protocol/errors.js";

/** Close the MessagePort behind a Comlink callback proxy once it is done with (no-op for plain functions). */
export function release(fn: unknown): void {
  const close = (fn as Record<symbol, unknown> | undefined)?.[Comlink.releaseProxy];
  if (typeof close === "function") (close as () => void).call(fn);
}

/** Run a call from the page; anything it throws crosses back as an ApiError. */
export async function guard<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toApiError(e);
  }
}
