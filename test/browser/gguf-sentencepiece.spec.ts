/**
 * The tiny SentencePiece GGUF (scripts/gguf-fixtures/sp_fixture.py) through the worker and the
 * public API: the chat template renders with its bos, the prompt has transformers' token count, and
 * the greedy reply is transformers' (detokenized as vLLM does: text after the prompt's last token).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { GGUF_FIXTURES } from "../unit/runners/gguf-fixtures.js";

interface Truth {
  messages: { role: "user"; content: string }[];
  chat_ids: number[];
  chat_reply: number[];
  chat_reply_text: string;
}

test("a SentencePiece GGUF answers a chat in the worker with transformers' prompt and greedy reply", async ({ page }) => {
  test.setTimeout(300_000);
  const truth = JSON.parse(readFileSync(join(GGUF_FIXTURES, "tiny-llama-sp.json"), "utf8")) as Truth;
  const file = join(GGUF_FIXTURES, "tiny-llama-sp.gguf");
  // The fixture lives in the shared cache, not under public/: the page fetches it from this route.
  await page.route("**/models/tiny-llama-sp.gguf", (route) =>
    route.fulfill({ body: readFileSync(file), contentType: "application/octet-stream" }),
  );
  await page.goto("/test/browser/support/gguf.html");
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  const stages = await page.evaluate((url) => window.gguf.load(url), "/models/tiny-llama-sp.gguf");
  expect(stages).toContain("ready");
  const got = await page.evaluate(([m, n]) => window.gguf.chat(m, n), [truth.messages, 8] as const);
  expect(got.promptTokens).toBe(truth.chat_ids.length);
  expect(got.text).toBe(truth.chat_reply_text);
  expect(got.finish).toBe(truth.chat_reply.length < 8 ? "stop" : "length");
});
