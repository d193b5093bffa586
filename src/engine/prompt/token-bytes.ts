/**
 * Raw bytes of each vocabulary token, for logprob `bytes`, incremental detokenization and
 * grammar masks. Byte-level BPE (GPT-2, Llama 3, Qwen) maps bytes to printable characters;
 * SentencePiece-style vocabularies use "▁" for space and <0xHH> for raw bytes.
 */
export type VocabEncoding = "byte_level" | "byte_fallback" | "raw";

let byteDecoder: Map<string, number> | undefined;

/** GPT-2's bytes_to_unicode, inverted: printable character -> byte. */
function gpt2ByteDecoder(): Map<string, number> {
  if (byteDecoder) return byteDecoder;
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map = new Map<string, number>();
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (printable.includes(b)) map.set(String.fromCharCode(b), b);
    else map.set(String.fromCharCode(256 + extra++), b);
  }
  byteDecoder = map;
  return map;
}

const utf8 = new TextEncoder();

export function tokenToBytes(token: string, encoding: VocabEncoding): Uint8Array {
  if (encoding === "byte_level") {
    const map = gpt2ByteDecoder();
    const out = new Uint8Array(token.length);
    let n = 0;
    for (const ch of token) {
      const b = map.get(ch);
      if (b === undefined) return utf8.encode(token); // not a byte-level piece (e.g. an added token)
      out[n++] = b;
    }
    return out.subarray(0, n);
  }
  if (encoding === "byte_fallback") {
    const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(token);
    if (m) return Uint8Array.of(parseInt(m[1]!, 16));
    return utf8.encode(token.replaceAll("\u2581", " "));
  }
  return utf8.encode(token);
}

/** Which encoding a Hugging Face tokenizer.json uses, from its decoder. */
export function detectEncoding(tokenizerJson: { decoder?: unknown }): VocabEncoding {
  const text = JSON.stringify(tokenizerJson.decoder ?? null);
  if (text.includes('"ByteLevel"')) return "byte_level";
  if (text.includes('"ByteFallback"') || text.includes("\u2581") || text.includes('"Metaspace"')) return "byte_fallback";
  return "raw";
}
