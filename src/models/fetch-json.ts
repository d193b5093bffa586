import { ApiError } from "../protocol/index.js";
import { badResponse, unreachable, type FetchError } from "./fetch-file.js";

/** A failed model-file fetch as an ApiError: 404 when the file is missing, else 503 (network or server). */
export function fetchFailure(e: FetchError): ApiError {
  return new ApiError({
    type: e.status === 404 ? "not_found_error" : "service_unavailable_error",
    message: e.message,
    param: "model",
    code: "model_fetch_failed",
  });
}

/**
 * Fetch a model file. A missing file is a 404 naming the URL (a wrong record), an unreachable one a
 * 503 (network or server), so the page knows which of the two to fix. `optional` files give null on 404.
 */
export async function fetchModelFile(
  url: string,
  fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
  optional = false,
): Promise<Response | null> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (e) {
    if (e instanceof ApiError) throw e; // already typed (a storage quota error)
    throw fetchFailure(unreachable(url, e));
  }
  const bad = badResponse(url, res);
  if (!bad) return res;
  if (optional && bad.status === 404) return null;
  throw fetchFailure(bad);
}

export async function fetchJson<T>(url: string, fetchFn?: typeof fetch): Promise<T> {
  return readJson<T>((await fetchModelFile(url, fetchFn))!, url);
}

/** A model file's body as JSON; a body that is not JSON is a 500 bad_model_file naming the file. */
export async function readJson<T>(res: Response, url: string): Promise<T> {
  try {
    return (await res.json()) as T;
  } catch (e) {
    throw new ApiError({
      type: "server_error",
      message: `${url} is not valid JSON: ${(e as Error).message}`,
      param: "model",
      code: "bad_model_file",
    });
  }
}
