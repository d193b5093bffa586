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
