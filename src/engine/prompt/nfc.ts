/**
 * Unicode NFC done in JS instead of inside the wasm tokenizer: its NFC pass costs about a quarter
 * of a long prompt's encode, while String.normalize checks an already-NFC text (nearly every
 * prompt) in a fraction of that. Exact only when the tokenizer's normalizer is NFC alone and its
 * added tokens are plain (added-tokens.ts) and proof against NFC (nfcProof).
 */
import type { AddedTokenSplitter } from "./added-tokens.js";

/** tokenizer.json's `normalizer` is NFC and nothing else. */
export function isNfcOnly(n: { type?: string; normalizers?: { type?: string }[] } | null | undefined): boolean {
  if (n?.type === "NFC") return true;
  return n?.type === "Sequence" && n.normalizers?.length === 1 && n.normalizers[0]?.type === "NFC";
}

/**
 * An added token that NFC of other text can never produce, so normalizing a piece cannot create a
 * match the tokenizer would then cut at: printable ASCII, minus the three ASCII characters that are
 * the NFC of another code point (K of U+212A, ` of U+1FEF, ; of U+037E; nfc.test.ts checks every
 * code point).
 */
export function nfcProof(content: string): boolean {
  return /^[\x20-\x7e]+$/.test(content) && !/[K`;]/.test(content);
}

/**
 * NFC of each piece between added tokens, as the tokenizer's normalizer does (not of the whole
 * text: "<|im_end|>" followed by U+0338 would compose its ">" into "≯"). Every substring of an NFC
 * text is NFC, so a text that is NFC as a whole comes back as it is.
 */
export function nfcPieces(text: string, splitter: AddedTokenSplitter): string {
  if (text.normalize("NFC") === text) return text;
  let out = "";
  let at = 0;
  for (const m of splitter.matches(text)) {
    out += text.slice(at, m.start).normalize("NFC") + text.slice(m.start, m.end);
    at = m.end;
  }
  return out + text.slice(at).normalize("NFC");
}
