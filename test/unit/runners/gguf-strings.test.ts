/** GGUF string arrays decoded in one run equal the same strings decoded one by one, or fall back. */
import { describe, expect, it } from "vitest";
import { decodeStrings, decodeUtf8 } from "../../../src/runners/reference/gguf/utf8.js";

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Length-prefixed (u64) strings, as a GGUF array holds them. */
function run(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + 8 + p.byteLength, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setUint32(at, p.byteLength, true);
    out.set(p, at + 8);
    at += 8 + p.byteLength;
  }
  return out;
}

const one = (bytes: Uint8Array, n: number) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  for (let i = 0, at = 0; i < n; i++) {
    const len = view.getUint32(at, true);
    out.push(decodeUtf8(bytes, at + 8, at + 8 + len, utf8));
    at += 8 + len;
  }
  return out;
};

const decode = (bytes: Uint8Array, n: number) =>
  decodeStrings(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, n, utf8);

describe("decodeStrings", () => {
  it("gives the strings one-by-one decoding gives: ASCII, 2-4 byte characters, a BOM, empty and long strings", () => {
    // Lengths whose first byte is >= 0x80 (130, 200, 0xe2 + 256, 0xf0 + 0x100) decode as one character each.
    const long = ["\u010a\u0120".repeat(32) + "a", "x".repeat(200), "é".repeat(113), "y".repeat(0x1f0), "z".repeat(0x7fff)];
    const texts = [...long, "Ġthe", "", "\uFEFFhi", "é", "日本語", "😀x", "Ġ\u0120\u010a", "a b", "\u00ff\u0800\uffff"];
    const enc = new TextEncoder();
    const bytes = run(texts.map((t) => enc.encode(t)));
    const got = decode(bytes, texts.length);
    expect(got?.strings).toEqual(texts);
    expect(got?.strings).toEqual(one(bytes, texts.length));
    expect(got?.end).toBe(bytes.byteLength);
  });

  it("declines (so strings are decoded one by one) on malformed UTF-8, a string of 128 bytes or more, or bytes that end first", () => {
    const enc = new TextEncoder();
    for (const bad of [
      Uint8Array.of(0xe2, 0x82),
      Uint8Array.of(0xc0, 0x80),
      Uint8Array.of(0xed, 0xa0, 0x80),
      Uint8Array.of(0x80),
    ]) {
      expect(decode(run([enc.encode("ok"), bad, enc.encode("next")]), 3)).toBeNull();
    }
    expect(decode(run([enc.encode("x".repeat(1 << 15))]), 1)).toBeNull();
    const cut = run([enc.encode("abc"), enc.encode("def")]);
    expect(decode(cut.subarray(0, cut.byteLength - 1), 2)).toBeNull();
  });
});
