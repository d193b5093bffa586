import { ApiError } from "../protocol/errors.js";
import type { ProgressCallback } from "./progress.js";

export class FetchError extends Error {
  constructor(
    message: string,
    readonly url: string,
    /** The HTTP status when the server answered (404 also for a host's HTML fallback page). */
    readonly status?: number,
  ) {
    super(message);
    this.name = "FetchError";
  }
}

/** The response for `url`: no answer, or an answer that is not the file, is a FetchError naming the URL. */
export async function openFile(url: string, fetchFn: typeof fetch): Promise<Response> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (e) {
    if (e instanceof ApiError) throw e; // already typed (a storage quota error)
    throw unreachable(url, e);
  }
  const bad = badResponse(url, res);
  if (bad) throw bad;
  return res;
}

/** The next chunk of a download; a connection that breaks is a FetchError saying how far it got. */
export async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  url: string,
  loaded: number,
  total: number,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new FetchError(
      `could not fetch ${url}: the connection broke after ${loaded} of ${total || "?"} bytes (${(e as Error).message}); loading again starts over`,
      url,
    );
  }
}

/** Fetch a whole file as bytes, reporting progress; a short body is an error that names the URL. */
export async function fetchBytes(url: string, fetchFn: typeof fetch, onProgress?: ProgressCallback): Promise<Uint8Array> {
  const file = url.split("/").pop() ?? url;
  const res = await openFile(url, fetchFn);
  const total = Number(res.headers.get("content-length") ?? 0);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await readChunk(reader, url, loaded, total);
    if (done) break;
    parts.push(value);
    loaded += value.byteLength;
    onProgress?.({ stage: "download", file, loaded, total, text: `${file}: ${loaded} of ${total || "?"} bytes` });
  }
  if (total && loaded !== total) {
    throw new FetchError(`could not fetch ${url}: got ${loaded} of ${total} bytes (connection cut?)`, url);
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** A fetch that got no answer at all: offline, the host down, or the page's CSP refusing it. */
export function unreachable(url: string, e: unknown): FetchError {
  return new FetchError(`could not fetch ${url}: ${(e as Error).message}; ${NO_ANSWER_HINT}`, url);
}

export const NO_ANSWER_HINT =
  "no answer from the host: check that the page is online (a model stored by an earlier visit loads offline) and that the page's Content-Security-Policy connect-src allows this host";

/**
 * Why a model file's response cannot be used, or null: an HTTP error, or a 200 text/html page (no
 * model file is HTML: it is a host's fallback page standing in for a missing file).
 */
export function badResponse(url: string, res: Response): FetchError | null {
  if (!res.ok) return new FetchError(`could not fetch ${url}: HTTP ${res.status} ${res.statusText}`.trim(), url, res.status);
  if (/^text\/html/i.test(res.headers.get("content-type") ?? "")) {
    return new FetchError(
      `could not fetch ${url}: the server answered with an HTML page (HTTP ${res.status}), not the file; hosts that serve their app page for unknown paths do this when the file is missing`,
      url,
      404,
    );
  }
  return null;
}
