import { expect, test } from "./support/fixtures.js";

test("the real Qwen3 tokenizer round-trips ASCII, CJK, emoji and special tokens", async ({ harness }) => {
  const texts = ["Hello, world!", "你好，世界。日本語のテキスト", "emoji 🦙🚀 and ZWJ 👩‍💻", "<|im_start|>user\nHi<|im_end|>"];
  const out = await harness.evaluate((t) => window.harness.tokenize(t), texts);
  out.forEach((o, i) => expect(o.decoded).toBe(texts[i]));
  // Special tokens are single ids, not split into pieces.
  expect(out[3]!.ids).toEqual([151644, 872, 198, 13048, 151645]);
  expect(out[3]!.tokens[0]).toBe("<|im_start|>");
  expect(out[0]!.ids).toEqual([9707, 11, 1879, 0]);
});

test("the engine's tokenizer (NFC in JS) and its incremental prompt ids equal the plain wasm tokenizer on 40 seeded 10-turn chats", async ({
  harness,
}) => {
  const r = await harness.evaluate(() => window.harness.incrementalPrompts(40, 10));
  expect(r.differ).toEqual([]);
  expect(r.texts).toBeGreaterThan(350);
});

for (const [name, folder] of [
  ["Qwen3 (NFC, Split regex with (?i:...))", "/models/tiny-random-qwen3/"],
  ["a byte-level BPE with the GPT-2 pattern", "/test/fixtures/onnx/tiny-random-qwen3/"],
] as const) {
  test(`the word cache in front of wasm gives the plain tokenizer's ids on 3000 seeded texts, cold and warm: ${name}`, async ({
    harness,
  }) => {
    const r = await harness.evaluate(([f, n]) => window.harness.wordCacheMatches(f, 7, n), [folder, 3000] as const);
    expect(r.cachesWords).toBe(true);
    expect(r.texts).toBe(3000);
    expect(r.differ.slice(0, 5)).toEqual([]);
  });
}
