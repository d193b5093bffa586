import { expect, test } from "@playwright/test";

/** mlc-chat-config.json as MLC writes it for a Qwen3 model (vocabulary of the tiny test model's tokenizer). */
const chatConfig = {
  vocab_size: 151936,
  context_window_size: 40960,
  sliding_window_size: -1,
  attention_sink_size: -1,
  prefill_chunk_size: 2048,
  conv_template: { stop_token_ids: [151645] },
};

test("web-llm runner under the engine: the record's window is enforced (413 before any token, the max_tokens 400, length at the edge, never 'KV cache is full')", async ({
  page,
}) => {
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  const seen: string[] = [];
  await page.route("**/webllm-toy/**", (route) => {
    seen.push(new URL(route.request().url()).pathname);
    return route.request().url().endsWith("/mlc-chat-config.json")
      ? route.fulfill({ json: chatConfig })
      : route.fulfill({ status: 404, body: "not here" });
  });
  await page.goto("/test/browser/support/webllm-page.html");
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  const r = await page.evaluate(() => window.webllmPage.run(64));
  expect([r.contextWindow, r.capacity]).toEqual([64, 64]);
  expect(r.tooLong).toMatchObject({ status: 413, param: "messages", code: "context_length_exceeded" });
  expect(r.forwardsAfterTooLong).toBe(0);
  expect(r.tooMany).toMatchObject({ status: 400, param: "max_tokens", code: "context_length_exceeded" });
  expect((r.tooMany as { message: string }).message).toMatch(
    /The context window is 64 tokens; the prompt has \d+ and max_tokens asks for 64 more/,
  );
  expect(r.finish).toBe("length");
  expect(r.usage!.prompt_tokens + r.usage!.completion_tokens).toBe(64);
  expect(r.kvTokens).toBe(63); // the last token is picked, never fed
  expect(r.forwardErrors).toEqual([]);
  // Relative record URLs reached web-llm resolved against the page (config, then the library it stops at).
  expect(seen).toEqual([
    "/test/browser/support/webllm-toy/resolve/main/mlc-chat-config.json",
    "/test/browser/support/webllm-toy/resolve/main/mlc-chat-config.json",
    "/test/browser/support/webllm-toy/toy.wasm",
  ]);
});
