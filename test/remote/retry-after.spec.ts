/**
 * A server's Retry-After reaches the app typed: ApiError.retryAfter (seconds) through create() in
 * Chromium, across the worker boundary, and the `retry-after` header on engine.fetch's response,
 * which the openai client's own retry honours. The server is a small one of this test's own on
 * 127.0.0.1 (vLLM cannot be made to answer 429 on demand); it allows any origin, as a CORS-enabled server does.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import type { ErrorInfo } from "../browser/support/error-info.js";

test.describe.configure({ mode: "serial" });

/** What each POST /v1/chat/completions answers with as Retry-After, in turn; and when each came (ms). */
let retryAfter: string[] = [];
let posts: number[] = [];
let server: Server;
let base: string;
let page: Page;

test.beforeAll(async ({ browser }) => {
  server = createServer((req, res) => {
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-allow-headers", "authorization, content-type");
    res.setHeader("access-control-expose-headers", "retry-after");
    if (req.method === "OPTIONS") return res.writeHead(204).end();
    res.setHeader("content-type", "application/json");
    if (req.url === "/v1/models")
      return res.end(JSON.stringify({ object: "list", data: [{ id: "busy-model", object: "model", max_model_len: 512 }] }));
    posts.push(Date.now());
    const error = { message: "Too many requests", type: "RateLimitError", param: null, code: 429 };
    res.writeHead(429, { "retry-after": retryAfter.shift() ?? "0" }).end(JSON.stringify({ error }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  page = await browser.newPage();
  await page.goto("/test/remote/page.html");
  await page.waitForFunction(() => "remote" in window);
  const record = { model_id: "busy", runner: "remote", base_url: `${base}/v1`, model: "busy-model" };
  expect(await page.evaluate((r) => window.remote.start([r as never]), record)).toMatchObject({
    models: { data: [{ id: "busy" }] },
  });
});

test.afterAll(async () => {
  await page.close();
  await new Promise((r) => server.close(r));
});

const body = { model: "busy", messages: [{ role: "user", content: "Hi" }], max_tokens: 4 };

test("create(): a 429's Retry-After in seconds and as an HTTP-date arrives as ApiError.retryAfter, across the worker boundary", async () => {
  retryAfter = ["7", new Date(Date.now() + 120_000).toUTCString()];
  const seconds = (await page.evaluate((b) => window.remote.create(b as never), body)) as ErrorInfo;
  expect(seconds.error).toMatchObject({ status: 429, type: "rate_limit_error", code: "rate_limit_exceeded", retryAfter: 7 });
  expect(seconds.error.message).toContain("Retry after 7 s");
  const dated = (await page.evaluate((b) => window.remote.create(b as never), body)) as ErrorInfo;
  expect(dated.error.status).toBe(429);
  expect(dated.error.retryAfter).toBeGreaterThan(60); // the date was 120 s ahead; the page needed some of them
  expect(dated.error.retryAfter).toBeLessThanOrEqual(120);
});

test("engine.fetch: the 429 carries a retry-after header, and the openai client waits that long before its retry", async () => {
  retryAfter = ["5"];
  const raw = await page.evaluate((b) => window.remote.fetchChat(b), body);
  expect(raw).toMatchObject({ status: 429, retryAfter: "5", body: { error: { type: "rate_limit_error" } } });

  retryAfter = ["2", "3"];
  posts = [];
  const retried = await page.evaluate((b) => window.remote.openaiRetry(b), body);
  expect(retried).toEqual({ status: 429, retryAfter: "3" }); // the retry's answer
  expect(posts).toHaveLength(2);
  // A lower bound only: the client slept the 2 s the server asked for (its own backoff would be under 1 s).
  expect(posts[1]! - posts[0]!).toBeGreaterThanOrEqual(1900);
});
