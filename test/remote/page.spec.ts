/**
 * The page API with a remote model behind it (engine in Chromium, vLLM on 127.0.0.1): listed,
 * answered and streamed like a local model, through engine.fetch with the openai client too; and
 * the hybrid fallback taking over from a local model that cannot serve a request.
 */
import { expect, test, type Page } from "@playwright/test";
import type { ChatCompletion, ChatCompletionChunk, FallbackEvent, ModelCard } from "../../src/index.js";
import type { ErrorInfo } from "../browser/support/error-info.js";
import { API_KEY, REMOTE_ID, SERVED, TINY_URL, waitReady } from "./servers.js";

test.describe.configure({ mode: "serial" });

type Started = { models: { data: ModelCard[] }; events: FallbackEvent[] };
type Answer = { answer: ChatCompletion; events: FallbackEvent[] };
const messages = [{ role: "user", content: "Name three colours." }];
const greedy = { messages, max_tokens: 8, temperature: 0 };
/** About 200 tokens: over a 48-token local window, well inside vLLM's 2048. */
const longMessages = [{ role: "user", content: "colour ".repeat(200) }];
const WEBLLM_ID = "Qwen3-0.6B-q4f16_1-MLC";

let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(960_000);
  await waitReady(TINY_URL, Number(process.env.VLLM_WAIT_S ?? 900) * 1000);
  page = await browser.newPage();
  await page.goto("/test/remote/page.html");
  await page.waitForFunction(() => "remote" in window);
});

async function start(models: unknown[], opts: object = {}): Promise<Started | ErrorInfo> {
  return page.evaluate(([m, o]) => window.remote.start(m as never, o), [models, opts] as const);
}
/** Through the page's same-origin proxy to the shared vLLM (a relative base_url, as a page behind a proxy has). */
const remoteRecord = (key: string = API_KEY) => page.evaluate((k) => window.remote.record("/vllm-tiny", { api_key: k }), key);
const create = (body: object) => page.evaluate((b) => window.remote.create(b as never), body) as Promise<Answer | ErrorInfo>;

test("a remote model is just another model: listed with vLLM's window, same body as vLLM direct, streamed by openai via engine.fetch", async () => {
  const started = (await start(["tiny-random-qwen3", await remoteRecord()])) as Started;
  expect((started as unknown as ErrorInfo).error).toBeUndefined();
  expect(started.models.data.map((m) => [m.id, m.max_model_len])).toEqual([
    ["tiny-random-qwen3", expect.any(Number)],
    [REMOTE_ID, 2048],
  ]);
  const { answer } = (await create({ ...greedy, model: REMOTE_ID })) as Answer;
  expect(answer.model).toBe(REMOTE_ID);
  const res = await fetch(`${TINY_URL}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({ ...greedy, model: SERVED }),
  });
  const direct = (await res.json()) as ChatCompletion;
  expect({ ...answer, id: "", created: 0, model: "" }).toEqual({ ...direct, id: "", created: 0, model: "" });

  const streamed = (await page.evaluate((b) => window.remote.openaiStream(b), { ...greedy, model: REMOTE_ID })) as {
    chunks: ChatCompletionChunk[];
  };
  expect(streamed.chunks.length).toBeGreaterThan(2);
  expect(streamed.chunks.every((c) => c.model === REMOTE_ID)).toBe(true);
  const delta = (c: ChatCompletionChunk) => (c.choices[0]?.delta.content ?? "") + (c.choices[0]?.delta.reasoning ?? "");
  const message = direct.choices[0]!.message;
  expect(streamed.chunks.map(delta).join("")).toBe((message.content ?? "") + (message.reasoning ?? ""));
  // The local model still answers beside it.
  expect(((await create({ ...greedy, model: "tiny-random-qwen3" })) as Answer).answer.model).toBe("tiny-random-qwen3");
});

test("a wrong key fails the load with a 401 ApiError that does not contain the key", async () => {
  const failed = (await start([await remoteRecord("sk-not-the-key")])) as ErrorInfo;
  expect([failed.error.status, failed.error.type, failed.error.code]).toEqual([401, "authentication_error", "invalid_api_key"]);
  expect(failed.error.message).not.toContain("sk-not-the-key");
});

test("fallback: a prompt longer than the local window is answered by the remote model, and the app hears of it", async () => {
  const local = "tiny-random-qwen3";
  // Without a fallback, behaviour is unchanged: the local model refuses.
  await start([local, await remoteRecord()], { contextWindow: 48 });
  const refused = (await create({ messages: longMessages, max_tokens: 4, model: local })) as ErrorInfo;
  expect([refused.error.status, refused.error.code]).toEqual([413, "context_length_exceeded"]);

  await start([local, await remoteRecord()], { contextWindow: 48, fallback: REMOTE_ID });
  const short = (await create({ ...greedy, max_tokens: 4, model: local })) as Answer;
  expect(short.answer.model).toBe(local);
  expect(short.events).toEqual([]);
  const long = (await create({ messages: longMessages, max_tokens: 4, temperature: 0, model: local })) as Answer;
  expect(long.answer.model).toBe(REMOTE_ID);
  expect(long.answer.usage.prompt_tokens).toBeGreaterThan(48);
  expect(long.events).toEqual([expect.objectContaining({ from: local, to: REMOTE_ID, reason: "context_length_exceeded" })]);
});

test("fallback: on a page without WebGPU a web-llm model cannot load; its requests go to the remote model", async () => {
  const without = (await start([WEBLLM_ID], { noWebGpu: true })) as ErrorInfo;
  expect([without.error.status, without.error.code]).toEqual([503, "webgpu_unavailable"]);

  const started = (await start([WEBLLM_ID, await remoteRecord()], { noWebGpu: true, fallback: REMOTE_ID })) as Started;
  expect(started.events).toEqual([expect.objectContaining({ from: WEBLLM_ID, to: REMOTE_ID, reason: "webgpu_unavailable" })]);
  expect(started.models.data.map((m) => m.id)).toEqual([REMOTE_ID]);
  const answered = (await create({ ...greedy, model: WEBLLM_ID })) as Answer;
  expect(answered.answer.model).toBe(REMOTE_ID);
  expect(answered.events.at(-1)).toEqual(expect.objectContaining({ from: WEBLLM_ID, to: REMOTE_ID }));
});
