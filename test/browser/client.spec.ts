import { clientTest, expect } from "./support/fixtures.js";
import type { ChatCompletion, ChatCompletionChunk } from "../../src/index.js";

const test = clientTest;
test.describe.configure({ mode: "serial" });

const messages = [{ role: "user", content: "Tell me about the weather in Paris." }];
const tools = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
];
const text = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");

test("createEngine loads the tiny model with progress; models.list and GET /v1/models agree", async ({ client }) => {
  const started = await client.evaluate(() => window.client.start());
  expect(started.stages).toEqual(expect.arrayContaining(["download", "ready"]));
  expect(started.spawned).toBe(1);
  expect(started.models.data).toEqual([
    expect.objectContaining({ id: "tiny-random-qwen3", object: "model", max_model_len: expect.any(Number) }),
  ]);
  const raw = await client.evaluate(() => window.client.raw("/v1/models"));
  expect(raw.status).toBe(200);
  expect(JSON.parse(raw.text)).toEqual(started.models);
});

test("the official openai client with fetch: engine.fetch gets what direct create gets: plain, logprobs, stream, tools", async ({
  client,
}) => {
  const cases = [
    { messages, seed: 11, temperature: 0.9, max_tokens: 16 },
    { messages, seed: 12, temperature: 0.7, max_tokens: 12, logprobs: true, top_logprobs: 3 },
    { messages, seed: 13, temperature: 0.8, max_tokens: 12, tools, tool_choice: "auto" },
  ];
  for (const body of cases) {
    const direct = (await client.evaluate((b) => window.client.create(b), body)) as ChatCompletion;
    const viaHttp = (await client.evaluate((b) => window.client.viaOpenAI(b), body)) as ChatCompletion;
    expect(viaHttp.choices[0]!.message.content).toBe(direct.choices[0]!.message.content);
    expect(viaHttp.choices[0]!.logprobs).toEqual(direct.choices[0]!.logprobs);
    expect([viaHttp.usage.prompt_tokens, viaHttp.usage.completion_tokens]).toEqual([
      direct.usage.prompt_tokens,
      direct.usage.completion_tokens,
    ]);
    expect(viaHttp.usage.prompt_tokens_details?.cached_tokens).toBeGreaterThan(0); // same prompt: the prefix cache served it
    const streamed = (await client.evaluate(
      (b) => window.client.viaOpenAI({ ...b, stream: true }),
      body,
    )) as ChatCompletionChunk[];
    expect(text(streamed)).toBe(direct.choices[0]!.message.content);
    expect(streamed.at(-1)!.choices[0]!.finish_reason).toBe(direct.choices[0]!.finish_reason);
  }
});

test("engine.fetch speaks vLLM's HTTP: SSE events and [DONE], error bodies with status, bearer key checked", async ({
  client,
}) => {
  const body = JSON.stringify({ messages, seed: 1, max_tokens: 5, stream: true, stream_options: { include_usage: true } });
  const sse = await client.evaluate((b) => window.client.raw("/v1/chat/completions", { method: "POST", body: b }), body);
  expect(sse.status).toBe(200);
  expect(sse.contentType).toMatch(/^text\/event-stream/);
  const events = sse.text.split("\n\n").filter(Boolean);
  expect(events.every((e) => e.startsWith("data: "))).toBe(true);
  expect(events.at(-1)).toBe("data: [DONE]");
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as ChatCompletionChunk);
  expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: 5 });

  const bad = await client.evaluate(() =>
    window.client.raw("/v1/chat/completions", { method: "POST", body: JSON.stringify({ messages: [], temperature: -1 }) }),
  );
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.text).error).toMatchObject({ type: "invalid_request_error", param: expect.any(String) });
  const notJson = await client.evaluate(() => window.client.raw("/v1/chat/completions", { method: "POST", body: "{nope" }));
  expect([notJson.status, JSON.parse(notJson.text).error.code]).toEqual([400, "invalid_json"]);
  const noRoute = await client.evaluate(() => window.client.raw("/v1/embeddings", { method: "POST", body: "{}" }));
  expect([noRoute.status, JSON.parse(noRoute.text).error.type]).toEqual([404, "not_found_error"]);

  const wrongKey = await client.evaluate((b) => window.client.openaiError(b, "sk-wrong"), { messages, max_tokens: 2 });
  expect(wrongKey).toMatchObject({ name: "AuthenticationError", status: 401, code: "invalid_api_key" });
  const invalid = await client.evaluate((b) => window.client.openaiError(b), { messages, max_tokens: 2, top_p: 7 });
  expect(invalid).toMatchObject({ name: "BadRequestError", status: 400, param: "top_p" });
});

test("abort: 50 aborted streams in a row end with finish_reason abort and leave the engine healthy; signal and break abort too", async ({
  client,
}) => {
  const body = { messages, max_tokens: 40, ignore_eos: true, temperature: 0 };
  const r = await client.evaluate((b) => window.client.abortStorm(b, 50, 2), body);
  expect(r.finishes).toEqual(Array(50).fill("abort"));
  expect(r.bySignal).toBe("abort");
  // A signal aborted before the call stops the request at once (at most the first token runs).
  expect(r.preAborted[0]).toBe("abort");
  expect(r.preAborted[1]).toBeLessThanOrEqual(1);
  expect(r.preAbortedStream).toEqual(["abort"]);
  expect([r.after, r.tokens]).toEqual(["length", 40]);
  expect(await client.evaluate((b) => window.client.breakEarly(b), body)).toBe("length");
  // engine.fetch behaves as fetch does: an aborted call rejects (or its body errors) with AbortError.
  const viaFetch = await client.evaluate((b) => window.client.fetchAbort(b), { ...body, max_tokens: 80 });
  expect(viaFetch).toEqual({ plainError: "AbortError", streamError: "AbortError", next: "length" });
});

test("back-pressure: a reader that stops reading keeps the worker under 24 chunks ahead, and nothing is lost", async ({
  client,
}) => {
  const body = { messages, max_tokens: 80, ignore_eos: true, seed: 5 };
  const whole = (await client.evaluate((b) => window.client.create(b), body)) as ChatCompletion;
  const slow = await client.evaluate((b) => window.client.slowReader(b, 2500), body);
  expect(slow.piled).toBeLessThan(24); // HIGH_WATER 4 + SEND_WINDOW 20
  expect(slow.piled).toBeGreaterThan(0);
  expect(slow.content).toBe(whole.choices[0]!.message.content);
});

test("the main thread stays responsive while the worker generates", async ({ client }) => {
  const r = await client.evaluate((b) => window.client.frameGaps(b), { messages, max_tokens: 120, ignore_eos: true });
  console.log(
    `frame gaps during ${r.tokens} tokens in ${r.ms.toFixed(0)} ms: longest ${r.longest.toFixed(1)} ms over ${r.frames} frames`,
  );
  expect(r.tokens).toBe(120);
  expect(r.frames).toBeGreaterThan(10);
  expect(r.longest).toBeLessThan(1000); // not blocked for seconds; the figure itself goes to the benchmark
});

test("worker.terminate() mid-stream: the pending stream rejects with 503, and the next create starts a new worker with the model", async ({
  client,
}) => {
  const r = await client.evaluate((b) => window.client.terminateMidStream(b), { messages, max_tokens: 60, ignore_eos: true });
  console.log(`stream rejected ${r.caught?.ms?.toFixed(0)} ms after terminate()`);
  expect(r.caught?.error).toMatchObject({ status: 503, type: "service_unavailable_error", code: "worker_died" });
  expect(r.caught!.ms).toBeLessThan(5000);
  expect(r.chunksBeforeDeath).toBeGreaterThanOrEqual(3);
  expect([r.respawned, r.next, r.models]).toEqual([1, "length", ["tiny-random-qwen3"]]);
});

test("web-llm path: a q4f16 prebuilt fails fast on SwiftShader naming the q4f32 twin; a record at a missing URL names the URL", async ({
  client,
}) => {
  const f16 = await client.evaluate(() => window.client.failToLoad("Qwen3-0.6B-q4f16_1-MLC"));
  expect(f16?.error).toMatchObject({ status: 503, code: "shader_f16_unsupported", param: "model" });
  expect(f16?.error.message).toContain('"Qwen3-0.6B-q4f32_1-MLC"');
  const missing = await client.evaluate(() =>
    window.client.failToLoad({
      model_id: "Local-q4f32_1-MLC",
      model: `${location.origin}/models/not-here/`,
      model_lib: `${location.origin}/models/not-here/lib.wasm`,
    }),
  );
  expect(missing?.error).toMatchObject({ status: 404, code: "model_fetch_failed" });
  expect(missing?.error.message).toMatch(
    new RegExp(
      `^could not fetch http://127\\.0\\.0\\.1:\\d+/models/not-here/resolve/main/mlc-chat-config\\.json: the server answered with an HTML page \\(HTTP 200\\), not the file`,
    ),
  );
  const unknown = await client.evaluate(() => window.client.failToLoad("no-such-model"));
  expect(unknown?.error).toMatchObject({ status: 404, code: "model_not_found" });
  console.log(`f16 refusal in ${f16?.ms?.toFixed(0)} ms, missing record in ${missing?.ms?.toFixed(0)} ms`);
});

test("limits: body size (create and engine.fetch), messages, n, template time and queue length each answer with their typed error; under them, requests run", async ({
  client,
}) => {
  test.setTimeout(120_000);
  const r = await client.evaluate(() => window.client.limits());
  expect(r.limits).toMatchObject({ maxBodyBytes: 65536, maxMessages: 8, maxN: 2, maxQueue: 2, maxDepth: 64 });
  expect(r.body).toMatchObject({ error: { status: 413, type: "request_too_large", param: null, code: "body_too_large" } });
  expect(r.fetch).toMatchObject({ status: 413, body: { error: { type: "request_too_large", code: "body_too_large" } } });
  expect(r.messages).toMatchObject({ error: { status: 413, param: "messages", code: "too_many_messages" } });
  expect(r.n).toMatchObject({ error: { status: 400, param: "n" } });
  expect(r.nOk).toBe(2);
  expect(r.template).toMatchObject({ error: { status: 400, param: "chat_template", code: "template_timeout" } });
  expect(r.crowd.slice(0, 3)).toEqual([1, 1, 1]);
  expect(r.crowd[3]).toMatchObject({ error: { status: 429, type: "rate_limit_error", code: "queue_full" } });
});

test("create() while the model is still loading waits for the load, in priority order; an abort while waiting rejects that call only", async ({
  client,
}) => {
  const r = await client.evaluate(() => window.client.whileLoading());
  expect(r.abortedBeforeLoad).toBe(true);
  expect(r.finished).toEqual(["p1", "p3", "p5"]);
  const byId = Object.fromEntries(r.results.map((x) => [x.id, x]));
  for (const id of ["p1", "p3", "p5"]) expect(byId[id]).toMatchObject({ loadedFirst: true, finish: "length" });
  expect(byId.aborted).toMatchObject({ loadedFirst: false, error: { status: 400, code: "aborted" } });
  expect(r.streamed).toBeGreaterThan(0);
});

test("load errors say how to fix them: did you mean for an id, modelBaseUrl for a local folder, offline or CSP for a host that never answers", async ({
  client,
}) => {
  const typo = await client.evaluate(() => window.client.failToLoad("qwen3-0.6b-q4f32_1-mlc"));
  expect(typo?.error).toMatchObject({ status: 404, code: "model_not_found", param: "model" });
  expect(typo?.error.message).toContain('Did you mean "Qwen3-0.6B-q4f32_1-MLC"');
  const base = await client.evaluate(() => window.client.failToLoad("tiny-random-qwen3", "/no-models-here/"));
  expect(base?.error).toMatchObject({ status: 404, code: "model_fetch_failed" });
  expect(base?.error.message).toContain("modelBaseUrl");
  expect(base?.error.message).toContain("/no-models-here/tiny-random-qwen3/");
  expect(base?.error.message).not.toContain("HTTP 404 (");
  const offline = await client.evaluate(() =>
    window.client.failToLoad({
      model_id: "Remote-q4f32_1-MLC",
      model: "http://127.0.0.1:9/models/x/",
      model_lib: "http://127.0.0.1:9/models/x/lib.wasm",
    }),
  );
  expect(offline?.error).toMatchObject({ status: 503, code: "model_fetch_failed" });
  expect(offline?.error.message).toMatch(/online.*Content-Security-Policy connect-src/);
});
