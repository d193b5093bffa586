import { openFile, readChunk } from "../../../models/fetch-file.js";
import type { ProgressCallback } from "../../../models/progress.js";
import { GgufError } from "./gguf-error.js";
import { NeedMoreBytes, parseHeader, type GgufHeader } from "./header.js";

/** Growable byte buffer: preallocated to Content-Length, so the file is held once, not twice. */
class Bytes {
  buf: Uint8Array;
  length = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(Math.max(size, 1 << 20));
  }
  push(chunk: Uint8Array): void {
    if (this.length + chunk.byteLength > this.buf.byteLength) {
      const grown = new Uint8Array(Math.max(this.buf.byteLength * 2, this.length + chunk.byteLength));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(chunk, this.length);
    this.length += chunk.byteLength;
  }
}

/**
 * Download a GGUF file, parsing its header as soon as the bytes are in: an unsupported tensor type
 * or a corrupt header stops the download there. A body shorter than the header says is a GgufError
 * naming the first tensor it cuts.
 */
export async function readGguf(
  url: string,
  fetchFn: typeof fetch,
  onProgress?: ProgressCallback,
): Promise<{ header: GgufHeader; bytes: Uint8Array }> {
  const file = url.split("/").pop() ?? url;
  const res = await openFile(url, fetchFn);
  const total = Number(res.headers.get("content-length") ?? 0);
  const data = new Bytes(total);
  let header: GgufHeader | undefined;
  // The header is re-parsed from the start, so only once the bytes have grown by half again.
  let nextTry = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const chunk = await readChunk(reader, url, data.length, total);
    if (chunk.done) break;
    data.push(chunk.value);
    onProgress?.({
      stage: "download",
      file,
      loaded: data.length,
      total,
      text: `${file}: ${data.length} of ${total || "?"} bytes`,
    });
    if (header || data.length < nextTry) continue;
    try {
      header = parseHeader(data.buf.subarray(0, data.length), url);
    } catch (e) {
      nextTry = data.length * 1.5;
      if (e instanceof NeedMoreBytes) continue;
      await reader.cancel().catch(() => {});
      throw e;
    }
  }
  const bytes = data.buf.subarray(0, data.length);
  if (!header) header = parseOrExplain(bytes, url);
  if (bytes.byteLength < header.end) throw truncated(header, bytes.byteLength, url);
  return { header, bytes };
}

/** Parse a whole file in memory (tests, Node): the same checks as a download. */
export function parseGguf(bytes: Uint8Array, file: string): GgufHeader {
  const header = parseOrExplain(bytes, file);
  if (bytes.byteLength < header.end) throw truncated(header, bytes.byteLength, file);
  return header;
}

function parseOrExplain(bytes: Uint8Array, file: string): GgufHeader {
  try {
    return parseHeader(bytes, file);
  } catch (e) {
    if (!(e instanceof NeedMoreBytes)) throw e;
    throw new GgufError(
      `${file}: the file ends (${bytes.byteLength} bytes) inside its header: truncated or not a GGUF file`,
      file,
    );
  }
}

function truncated(header: GgufHeader, size: number, file: string): GgufError {
  const cut = [...header.tensors.values()].find((t) => t.begin + t.byteLength > size)!;
  return new GgufError(
    `${file}: the file is ${size} bytes but tensor ${cut.name} ends at byte ${cut.begin + cut.byteLength} (${header.end} in all): a truncated download; delete it from the cache and load again`,
    file,
    cut.name,
  );
}
