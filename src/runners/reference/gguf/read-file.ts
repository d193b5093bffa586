import type { WasmKernels } from "../kernels/wasm-kernels.js";
import { openFile, readChunk } from "../../../models/fetch-file.js";
import type { ProgressCallback } from "../../../models/progress.js";
import { GgufError } from "./gguf-error.js";
import { headerLength, NeedMoreBytes, parseHeader, type GgufHeader } from "./header.js";

/**
 * The download's bytes, preallocated to Content-Length so the file is held once: in the kernels'
 * wasm memory when given (the weights then stay where they landed, with no second copy), else in
 * JS memory. A body longer than announced moves to JS memory.
 */
class Bytes {
  private js: Uint8Array | null = null;
  private readonly at: number = 0;
  private cap: number;
  length = 0;
  constructor(
    size: number,
    private readonly kernels?: WasmKernels,
  ) {
    if (kernels && size > 0) this.at = kernels.alloc(size);
    else this.js = new Uint8Array(Math.max(size, 1 << 20));
    this.cap = this.js?.byteLength ?? size;
  }
  /** A fresh view: wasm memory may have grown since the last one. */
  get buf(): Uint8Array {
    return this.js ?? this.kernels!.bytes(this.at, this.cap);
  }
  push(chunk: Uint8Array): void {
    if (this.length + chunk.byteLength > this.cap) {
      const grown = new Uint8Array(Math.max(this.cap * 2, this.length + chunk.byteLength));
      grown.set(this.buf.subarray(0, this.length));
      this.js = grown;
      this.cap = grown.byteLength;
    }
    this.buf.set(chunk, this.length);
    this.length += chunk.byteLength;
  }
}

/**
 * Download a GGUF file, parsing its header as soon as the bytes are in: an unsupported tensor type
 * or a corrupt header stops the download there. A body shorter than the header says is a GgufError
 * naming the first tensor it cuts. With `kernels`, `bytes` is a view of their memory (see Bytes).
 */
export async function readGguf(
  url: string,
  fetchFn: typeof fetch,
  onProgress?: ProgressCallback,
  kernels?: WasmKernels,
): Promise<{ header: GgufHeader; bytes: Uint8Array }> {
  const file = url.split("/").pop() ?? url;
  const res = await openFile(url, fetchFn);
  const total = Number(res.headers.get("content-length") ?? 0);
  const data = new Bytes(total, kernels);
  let header: GgufHeader | undefined;
  // The header is walked from the start (cheaply, no strings decoded), so only once the bytes have
  // grown by half again; it is parsed once, when all of it is in.
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
      const head = data.buf.subarray(0, data.length);
      headerLength(head, url);
      header = parseHeader(head, url);
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
