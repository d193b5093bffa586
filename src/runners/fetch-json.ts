import { ApiError } from "../protocol/index.js";
import { isHtmlPage } from "./reference/fetch-file.js";

/**
 * Fetch a model file. A missing file is a 404 naming the URL (a wrong record), an unreachable one a
 * 503 (network or server), so the page knows which of the two to fix. `optional` files give null on 404.
 */
export async function fetchModelFile(url: string, fetchFn: typeof fetch = globalThis.fetch.bind(globalThis), optional = false): Promise<Response | null> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (e) {
    throw new ApiError(`could not fetch ${url}: ${(e as Error).message}`, "service_unavailable_error", "model", "model_fetch_failed");
  }
  const html = res.ok && isHtmlPage(res);
  if (res.ok && !html) return res;
  if (optional && (res.status === 404 || html)) return null;
  if (html) throw new ApiError(`could not fetch ${url}: HTTP 404 (the server sent an HTML page instead, as single-page-app hosts do for missing files)`, "not_found_error", "model", "model_fetch_failed");
  const type = res.status === 404 ? "not_found_error" : "service_unavailable_error";
  throw new ApiError(`could not fetch ${url}: HTTP ${res.status} ${res.statusText}`.trim(), type, "model", "model_fetch_failed");
}

export async function fetchJson<T>(url: string, fetchFn?: typeof fetch): Promise<T> {
  const res = (await fetchModelFile(url, fetchFn))!;
  try {
    return (await res.json()) as T;
  } catch (e) {
    throw new ApiError(`${url} is not valid JSON: ${(e as Error).message}`, "server_error", "model", "bad_model_file");
  }
}
