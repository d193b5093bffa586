import { readFileSync } from "node:fs";
import { Tokenizer as HFTokenizer } from "@huggingface/tokenizers";
import { describe, expect, it } from "vitest";
import { AddedTokenSplitter, type AddedTokenJson } from "../../../src/engine/prompt/added-tokens.js";
import { isNfcOnly, nfcPieces, nfcProof } from "../../../src/engine/prompt/nfc.js";
import { DEFAULT_TINY_MODEL_DIR } from "../../fixtures/make-tiny-model.js";

const json = JSON.parse(readFileSync(DEFAULT_TINY_MODEL_DIR + "/tokenizer.json", "utf8")) as {
  added_tokens: AddedTokenJson[];
  normalizer: { type: string };
};
const config = JSON.parse(readFileSync(DEFAULT_TINY_MODEL_DIR + "/tokenizer_config.json", "utf8")) as object;

function rand32(seed: number) {
  let a = seed;
  return () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) >>> 8) / (1 << 24);
}

/** Starters, combining marks (some that compose with them, some reordered), Hangul jamo, tokens. */
const ALPHABET = [
  "a",
  "e",
  "K",
  ">",
  "<",
  "=",
  "|",
  " ",
  "\n",
  "\u0301",
  "\u0308",
  "\u0327",
  "\u0338",
  "\u0323",
  "\u030a",
  "\u1100",
  "\u1161",
  "\u11a8",
  "\uac00",
  "\u212a",
  "\u212b",
  "\u1fef",
  "\u037e",
  "\u0b47",
  "\u0b3e",
  "é",
  "ñ",
  "🦙",
  "<|im_end|>",
  "<think>",
  "<|im_start|>",
];

describe("NFC in JS instead of in the tokenizer", () => {
  it("the only ASCII characters NFC makes from other code points are K, ` and ;", () => {
    const made = new Set<string>();
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      for (const ch of String.fromCodePoint(cp).normalize("NFC")) if (ch < "\x80") made.add(ch);
    }
    expect([...made].sort()).toEqual([";", "K", "`"]);
    expect(nfcProof("<|im_end|>")).toBe(true);
    expect(nfcProof("<tool_call>")).toBe(true);
    expect(nfcProof("[INST;]")).toBe(false);
    expect(nfcProof("<|é|>")).toBe(false);
    expect(isNfcOnly(json.normalizer)).toBe(true);
  });

  it("every substring of an NFC text is NFC (so a text that is NFC as a whole needs no piece-wise pass)", () => {
    const rand = rand32(7);
    for (let n = 0; n < 1000; n++) {
      const s = Array.from({ length: 2 + Math.floor(rand() * 10) }, () => ALPHABET[Math.floor(rand() * 17)])
        .join("")
        .normalize("NFC");
      const cps = [...s];
      for (let i = 0; i < cps.length; i++)
        for (let j = i + 1; j <= cps.length; j++) {
          const sub = cps.slice(i, j).join("");
          expect(sub.normalize("NFC"), JSON.stringify(s)).toBe(sub);
        }
    }
  });

  it("a tokenizer without its NFC normalizer, given nfcPieces(text), gives the ids the original gives text", () => {
    const original = new HFTokenizer(json, config);
    const bare = new HFTokenizer({ ...json, normalizer: null }, config);
    const splitter = AddedTokenSplitter.from(json.added_tokens)!;
    const rand = rand32(11);
    let changed = 0;
    for (let n = 0; n < 800; n++) {
      const text = Array.from({ length: 1 + Math.floor(rand() * 25) }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join(
        "",
      );
      const pieces = nfcPieces(text, splitter);
      if (pieces !== text) changed++;
      expect(bare.encode(pieces, { add_special_tokens: false }).ids, JSON.stringify(text)).toEqual(
        original.encode(text, { add_special_tokens: false }).ids,
      );
    }
    expect(changed).toBeGreaterThan(200);
    // Whole-text NFC would be wrong here: the token's ">" composes with U+0338.
    expect(nfcPieces("<|im_end|>\u0338", splitter)).toBe("<|im_end|>\u0338");
    expect("<|im_end|>\u0338".normalize("NFC")).toBe("<|im_end|\u226f");
  });
});
