/**
 * UTF-8 bytes → string. A vocabulary is ~100k short strings, where TextDecoder's per-call cost
 * dominates: short well-formed 1–3 byte sequences are decoded here, anything else by `decoder`.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number, decoder: TextDecoder): string {
  if (end - start > 64) return decoder.decode(bytes.subarray(start, end));
  let s = "";
  for (let i = start; i < end;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      s += String.fromCharCode(b);
      i += 1;
      continue;
    }
    const b1 = i + 1 < end ? bytes[i + 1]! : 0;
    if ((b & 0xe0) === 0xc0 && (b1 & 0xc0) === 0x80 && b >= 0xc2) {
      s += String.fromCharCode(((b & 0x1f) << 6) | (b1 & 0x3f));
      i += 2;
      continue;
    }
    const b2 = i + 2 < end ? bytes[i + 2]! : 0;
    const c = ((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
    if ((b & 0xf0) === 0xe0 && (b1 & 0xc0) === 0x80 && (b2 & 0xc0) === 0x80 && c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
      s += String.fromCharCode(c);
      i += 3;
      continue;
    }
    return decoder.decode(bytes.subarray(start, end)); // 4-byte sequences and malformed input
  }
  return s;
}

/**
 * `n` GGUF strings (u64 length, then bytes) from `at`, decoded by one TextDecoder call over the
 * whole run and cut at each string's UTF-16 length: a vocabulary's ~100k calls cost more than the
 * bytes. Returns null (decode one by one then) when a string is not well-formed UTF-8 (a malformed
 * tail could merge with the next length's bytes), is 32 KiB or longer, or the bytes end first.
 */
export function decodeStrings(
  bytes: Uint8Array,
  view: DataView,
  at: number,
  n: number,
  decoder: TextDecoder,
): { strings: string[]; end: number } | null {
  const units = new Uint32Array(n);
  const start = at;
  for (let i = 0; i < n; i++) {
    // Lengths under 2^15: the length's first byte is followed by a byte under 0x80 (no sequence
    // can continue into it), so each of the 8 bytes decodes to one character (U+FFFD or ASCII).
    if (at + 8 > bytes.byteLength || view.getUint32(at + 4, true) !== 0 || view.getUint32(at, true) >= 1 << 15) return null;
    const end = at + 8 + view.getUint32(at, true);
    if (end > bytes.byteLength) return null;
    at += 8;
    let u = 0;
    while (at < end) {
      const b = bytes[at]!;
      const k = b < 0x80 ? 0 : b < 0xc2 ? -1 : b < 0xe0 ? 1 : b < 0xf0 ? 2 : b < 0xf5 ? 3 : -1;
      if (k < 0 || at + k >= end) return null;
      if (k > 0 && !continues(bytes, at, b, k)) return null;
      u += k === 3 ? 2 : 1;
      at += k + 1;
    }
    units[i] = u;
  }
  const all = decoder.decode(bytes.subarray(start, at));
  const strings = new Array<string>(n);
  for (let i = 0, c = 0; i < n; i++) {
    c += 8; // the length's 8 bytes, a character each
    strings[i] = all.substring(c, c + units[i]!);
    c += units[i]!;
  }
  return { strings, end: at };
}

/** Whether the k bytes after lead byte b at i are a well-formed continuation (no overlong, surrogate or > U+10FFFF). */
function continues(bytes: Uint8Array, i: number, b: number, k: number): boolean {
  const b1 = bytes[i + 1]!;
  const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
  const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
  if (b1 < lo || b1 > hi) return false;
  for (let j = 2; j <= k; j++) if ((bytes[i + j]! & 0xc0) !== 0x80) return false;
  return true;
}
