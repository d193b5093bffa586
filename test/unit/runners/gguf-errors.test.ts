/** Bad GGUF input gets a GgufError that names the tensor or field and says what to do. */
import { describe, expect, it } from "vitest";
import { GgufError } from "../../../src/runners/reference/gguf/gguf-error.js";
import { headerLength, NeedMoreBytes, parseHeader } from "../../../src/runners/reference/gguf/header.js";
import { parseGguf, readGguf } from "../../../src/runners/reference/gguf/read-file.js";
import { thrown } from "../support/thrown.js";
import { readFixture } from "./gguf-fixtures.js";

/** A minimal GGUF v3 header: one string key, one tensor [2, 32] of ggml type `type`. */
function header(type: number): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number) => parts.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24);
  const u64 = (v: number) => (u32(v), u32(0));
  const str = (s: string) => (u64(s.length), parts.push(...new TextEncoder().encode(s)));
  parts.push(..."GGUF".split("").map((c) => c.charCodeAt(0)));
  u32(3);
  u64(1);
  u64(1);
  str("general.architecture");
  u32(8);
  str("llama");
  str("blk.0.attn_q.weight");
  u32(2);
  u64(256);
  u64(2);
  u32(type);
  u64(0);
  return Uint8Array.from(parts);
}

describe("GGUF errors", () => {
  it("refuses an unsupported tensor type by name as soon as the header is in, and stops the download", async () => {
    let pulled = 0;
    let cancelled = false;
    const head = header(10); // Q2_K
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        // The header, then megabytes of tensor data that should never be asked for.
        c.enqueue(pulled === 0 ? head : new Uint8Array(1 << 20));
        pulled++;
      },
      cancel() {
        cancelled = true;
      },
    });
    const fetchFn = (async () => new Response(body, { headers: { "content-length": String(1 << 30) } })) as typeof fetch;
    const e = (await readGguf("https://x.test/m.gguf", fetchFn).then(
      () => new Error("loaded"),
      (err: unknown) => err,
    )) as GgufError;
    expect(e).toBeInstanceOf(GgufError);
    expect(e.tensor).toBe("blk.0.attn_q.weight");
    expect(e.message).toContain("blk.0.attn_q.weight is Q2_K");
    expect(e.message).toContain("Q4_K_M or Q8_0");
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(4);
  });

  it("names the first tensor a truncated file cuts", () => {
    const { bytes } = readFixture("Q4_0");
    const cut = bytes.subarray(0, Math.floor(bytes.byteLength * 0.6));
    const e = thrown(() => parseGguf(cut, "m.gguf")) as GgufError;
    expect(e).toBeInstanceOf(GgufError);
    expect(e.tensor).toMatch(/^(blk\.\d+\.\w+|output)\.weight$/);
    expect(e.message).toContain(`tensor ${e.tensor} ends at byte`);
    expect(e.message).toContain("truncated download");
  });

  it("says a file that is not GGUF is not one", () => {
    const e = thrown(() => parseGguf(new TextEncoder().encode('{"not": "gguf"}'), "m.gguf"));
    expect(e).toBeInstanceOf(GgufError);
    expect(e.message).toContain('not a GGUF file (the first 4 bytes are not "GGUF")');
  });

  it("says a file cut inside its header is truncated", () => {
    const e = thrown(() => parseGguf(header(2).subarray(0, 40), "m.gguf"));
    expect(e).toBeInstanceOf(GgufError);
    expect(e.message).toContain("inside its header");
  });
});

describe("GGUF header length", () => {
  it("walks the header without decoding strings: the length the full parse ends at, or NeedMoreBytes while cut", () => {
    const bytes = header(2); // Q4_0
    expect(headerLength(bytes, "t.gguf")).toBe(bytes.byteLength);
    expect(parseHeader(bytes, "t.gguf").dataStart).toBe(Math.ceil(bytes.byteLength / 32) * 32);
    for (const cut of [3, 30, bytes.byteLength - 1]) {
      expect(() => headerLength(bytes.subarray(0, cut), "t.gguf")).toThrow(NeedMoreBytes);
    }
  });
});
