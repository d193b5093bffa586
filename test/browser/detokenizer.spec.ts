import { expect, test } from "./support/fixtures.js";

test("incremental detokenization never emits half a character", async ({ harness }) => {
  const text = "🦙 llamas 你好 naïve ∑ 🇫🇷!";
  const { ids, pieces } = await harness.evaluate(
    (t) => window.harness.detokenize(t, { skipSpecialTokens: true, spacesBetweenSpecialTokens: true }),
    text,
  );
  expect(pieces.join("")).toBe(text);
  expect(pieces.some((p) => p.includes("\uFFFD"))).toBe(false);
  // Some tokens carry only part of a character: they emit nothing until it completes.
  expect(pieces.slice(0, ids.length).filter((p) => p === "").length).toBeGreaterThan(0);
});

test("skip_special_tokens and spaces_between_special_tokens", async ({ harness }) => {
  const text = "<|im_start|>user\nhi<|im_end|>";
  const run = (skip: boolean, spaces: boolean) =>
    harness.evaluate(([t, o]) => window.harness.detokenize(t, o), [
      text,
      { skipSpecialTokens: skip, spacesBetweenSpecialTokens: spaces },
    ] as const);
  expect((await run(true, true)).pieces.join("")).toBe("user\nhi");
  expect((await run(false, false)).pieces.join("")).toBe("<|im_start|>user\nhi<|im_end|>");
  expect((await run(false, true)).pieces.join("")).toBe("<|im_start|> user\nhi <|im_end|>");
  // <think> is an added token but not a special one: it survives skip_special_tokens.
  expect(
    (
      await harness.evaluate(
        (t) => window.harness.detokenize(t, { skipSpecialTokens: true, spacesBetweenSpecialTokens: true }),
        "<think>x</think>",
      )
    ).pieces.join(""),
  ).toBe("<think>x</think>");
});
