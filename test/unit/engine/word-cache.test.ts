import { readFileSync } from "node:fs";
import { Tokenizer as HFTokenizer } from "@huggingface/tokenizers";
import { describe, expect, it } from "vitest";
import { AddedTokenSplitter, type AddedTokenJson } from "../../../src/engine/prompt/added-tokens.js";
import { WordCache, type WordCacheJson } from "../../../src/engine/prompt/word-cache.js";
import { DEFAULT_TINY_MODEL_DIR } from "../../fixtures/make-tiny-model.js";
import { tokenizerTexts } from "../../fixtures/tokenizer-texts.js";

// @huggingface/tokenizers runs the same tokenizer.json here, an implementation independent of the
// engine's wasm one (tokenizer.spec.ts repeats this against the wasm one in Chromium).
const json = JSON.parse(readFileSync(DEFAULT_TINY_MODEL_DIR + "/tokenizer.json", "utf8")) as WordCacheJson & {
  added_tokens: AddedTokenJson[];
};
const hf = new HFTokenizer(json, {});
const splitter = AddedTokenSplitter.from(json.added_tokens);

/** The HF tokenizer, counting its calls and the chars it is asked to encode. */
function counted() {
  const t = {
    calls: 0,
    chars: 0,
    encode: (text: string) => {
      t.calls++;
      t.chars += text.length;
      return Int32Array.from(hf.encode(text, { add_special_tokens: false }).ids);
    },
  };
  return t;
}

describe("WordCache", () => {
  it("gives the tokenizer's ids on 2000 seeded texts, cold and warm, with one tokenizer call per text at most", () => {
    const cache = WordCache.from(json, splitter)!;
    expect(cache).not.toBeNull();
    const texts = tokenizerTexts(
      11,
      2000,
      json.added_tokens.map((t) => t.content),
    );
    for (const pass of ["cold", "warm"]) {
      for (const text of texts) {
        const wasm = counted();
        expect([pass, Array.from(cache.encode(text, wasm.encode))]).toEqual([pass, Array.from(counted().encode(text))]);
        expect(wasm.calls).toBeLessThanOrEqual(1);
      }
    }
  });

  it("sends only words it has not seen to the tokenizer, and everything again with reuse: false", () => {
    const cache = WordCache.from(json, splitter)!;
    const text = "<|im_start|>user\nThe harbour wakes before the town does.<|im_end|>\n";
    cache.encode(text, counted().encode);
    const again = counted();
    cache.encode(text + "The town wakes.", again.encode);
    expect(again.chars).toBe(0);
    const fresh = counted();
    cache.encode(text, fresh.encode, false);
    expect(fresh.chars).toBeGreaterThan(40);
  });

  it("sends a non-ASCII piece whole, and repeats within one text once", () => {
    const cache = WordCache.from(json, splitter)!;
    const wasm = counted();
    const ids = cache.encode("über café<|im_end|>ok ok ok ok", wasm.encode);
    expect(Array.from(ids)).toEqual(Array.from(counted().encode("über café<|im_end|>ok ok ok ok")));
    // "über café" whole, "ok" and " ok" once each, joined by two separators.
    expect(wasm.chars).toBe("über café".length + "ok".length + " ok".length + 2 * "<|endoftext|>".length);
  });

  it("is only made for pipelines whose words a JS regex finds exactly", () => {
    const byteLevel = { type: "ByteLevel", add_prefix_space: false, use_regex: true };
    const base = { ...json, pre_tokenizer: byteLevel, normalizer: null };
    expect(WordCache.from(base, splitter)).not.toBeNull();
    expect(WordCache.from({ ...base, normalizer: { type: "NFKC" } }, splitter)).not.toBeNull();
    expect(WordCache.from(json, null)).toBeNull(); // added tokens that are not plain seams
    expect(WordCache.from({ ...base, pre_tokenizer: { ...byteLevel, add_prefix_space: true } }, splitter)).toBeNull();
    expect(WordCache.from({ ...base, pre_tokenizer: { type: "Metaspace" } }, splitter)).toBeNull();
    expect(WordCache.from({ ...base, normalizer: { type: "Lowercase" } }, splitter)).toBeNull();
    expect(WordCache.from({ ...base, normalizer: { type: "Replace" } }, splitter)).toBeNull();
    expect(WordCache.from({ ...base, model: { type: "Unigram" } }, splitter)).toBeNull();
    expect(WordCache.from({ ...base, model: { type: "BPE", dropout: 0.1 } }, splitter)).toBeNull();
    const split = (behavior: string, Regex = "\\p{L}+|\\s+") => ({
      ...base,
      pre_tokenizer: {
        type: "Sequence",
        pretokenizers: [
          { type: "Split", pattern: { Regex }, behavior, invert: false },
          { ...byteLevel, use_regex: false },
        ],
      },
    });
    expect(WordCache.from(split("Isolated"), splitter)).not.toBeNull();
    expect(WordCache.from(split("Removed"), splitter)).toBeNull();
    expect(WordCache.from(split("Isolated", "(?<=a"), splitter)).toBeNull(); // not a JS regex
  });
});
