/**
 * The engine on the ONNX runner (record { runner: "onnx", dtype, device }): streaming, logprobs,
 * prompt_logprobs against transformers' logits, json_schema, a required tool call, prefix-cache reuse,
 * abort, the typed load errors and loading from the Cache API. WASM for speed (onnx-logits.spec.ts covers WebGPU).
 */
import { readFileSync, statSync } from "node:fs";
import { test, expect, type Page } from "@playwright/test";
import Ajv from "ajv";
import type { ChatCompletion, ChatCompletionChunk } from "../../src/protocol/index.js";
import type { OnnxRecord } from "../../src/runners/onnx/record.js";

const QWEN3 = "/test/fixtures/onnx/tiny-random-qwen3/";
const record: OnnxRecord = { model_id: "tiny-onnx-qwen3", model: QWEN3, runner: "onnx", dtype: "fp32", device: "wasm" };
// Its first 12 tokens are the reference sequence of test/fixtures/onnx/export.py (the template adds no system turn).
const question = 'What is the weather in Paris? {"city": "Paris"}';
const messages = [{ role: "user", content: question }];

type ErrorInfo = { error: { status: number; type: string; code: string | null; param: string | null; message: string } };
let page: Page;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  await page.goto("/test/browser/support/onnx.html");
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  const loaded = await page.evaluate((r) => window.onnx.engine.load(r), record);
  expect(loaded).toMatchObject({ loaded: ["tiny-onnx-qwen3"] });
});
test.afterAll(() => page.close());

async function create(body: Record<string, unknown>): Promise<ChatCompletion> {
  const r = await page.evaluate((b) => window.onnx.engine.create(b), { model: record.model_id, messages, ...body });
  if ("error" in r) throw new Error(JSON.stringify(r.error));
  return r;
}
async function stream(body: Record<string, unknown>, abortAfter?: number): Promise<ChatCompletionChunk[]> {
  const r = await page.evaluate(([b, n]) => window.onnx.engine.stream(b, n), [
    { model: record.model_id, messages, ...body, stream: true },
    abortAfter,
  ] as const);
  if ("error" in r) throw new Error(JSON.stringify(r.error));
  return r;
}

function logSoftmaxAt(row: number[], id: number): number {
  const max = Math.max(...row);
  const sum = row.reduce((s, x) => s + Math.exp(x - max), 0);
  return row[id]! - max - Math.log(sum);
}

test("streamed deltas join to the same greedy text and tokens as the whole response", async () => {
  const body = { temperature: 0, max_tokens: 10, ignore_eos: true, return_token_ids: true };
  const whole = await create(body);
  const chunks = await stream({ ...body, stream_options: { include_usage: true } });
  const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
  expect(text).toBe(whole.choices[0]!.message.content);
  expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: 10 });
  expect(whole.choices[0]!.finish_reason).toBe("length");
});

test("prompt_logprobs equal transformers' log-softmax; sampled logprobs lead sorted top_logprobs", async () => {
  const ref = JSON.parse(readFileSync("test/fixtures/onnx/tiny-random-qwen3/reference.json", "utf8")) as {
    tokens: number[];
    logits: number[][];
  };
  const c = await create({
    temperature: 0,
    max_tokens: 5,
    ignore_eos: true,
    logprobs: true,
    top_logprobs: 3,
    prompt_logprobs: 1,
    return_token_ids: true,
  });
  const prompt = c.prompt_token_ids!;
  expect(prompt.slice(0, ref.tokens.length)).toEqual(ref.tokens);
  const plp = c.prompt_logprobs!;
  expect(plp[0]).toBeNull();
  for (let i = 1; i < ref.tokens.length; i++) {
    const got = plp[i]![String(prompt[i])]!.logprob;
    expect(Math.abs(got - logSoftmaxAt(ref.logits[i - 1]!, prompt[i]!)), `position ${i}`).toBeLessThan(1e-4);
  }
  for (const lp of c.choices[0]!.logprobs!.content!) {
    const tops = lp.top_logprobs.map((t) => t.logprob);
    expect(tops.length).toBe(3);
    expect(tops).toEqual([...tops].sort((a, b) => b - a));
    expect(lp.logprob).toBeCloseTo(tops[0]!, 5); // greedy: the chosen token is the most likely one
    expect(lp.token).toBe(lp.top_logprobs[0]!.token);
  }
});

test("a json_schema response parses and validates against its schema", async () => {
  const schema = {
    type: "object",
    properties: { city: { type: "string", enum: ["Paris", "Berlin"] }, days: { type: "integer", minimum: 1, maximum: 9 } },
    required: ["city", "days"],
    additionalProperties: false,
  };
  const c = await create({
    temperature: 0.8,
    seed: 3,
    max_tokens: 60,
    response_format: { type: "json_schema", json_schema: { name: "forecast", schema } },
  });
  const value: unknown = JSON.parse(c.choices[0]!.message.content!);
  expect(new Ajv().validate(schema, value)).toBe(true);
  expect(c.choices[0]!.finish_reason).toBe("stop");
});

test('tool_choice "required" yields a call of a given tool with arguments valid for its schema', async () => {
  const parameters = {
    type: "object",
    properties: { city: { type: "string", enum: ["Paris", "Berlin"] } },
    required: ["city"],
    additionalProperties: false,
  };
  const c = await create({
    temperature: 0,
    max_tokens: 60,
    tools: [{ type: "function", function: { name: "get_weather", description: "Weather now", parameters } }],
    tool_choice: "required",
  });
  const choice = c.choices[0]!;
  expect(choice.finish_reason).toBe("tool_calls");
  expect(choice.message.tool_calls).toHaveLength(1);
  const call = choice.message.tool_calls![0]!;
  expect(call.function.name).toBe("get_weather");
  expect(new Ajv().validate(parameters, JSON.parse(call.function.arguments))).toBe(true);
});

test("a follow-up turn reuses the cached prefix and yields the same tokens as a cold run", async () => {
  const body = { temperature: 0, max_tokens: 6, ignore_eos: true, logprobs: true, cache_salt: "warm" };
  const first = await create(body);
  const followUp = [
    ...messages,
    { role: "assistant", content: first.choices[0]!.message.content },
    { role: "user", content: "And Berlin?" },
  ];
  const warm = await create({ ...body, messages: followUp });
  const cold = await create({ ...body, messages: followUp, cache_salt: "cold" });
  expect(warm.usage.prompt_tokens_details!.cached_tokens).toBeGreaterThan(10);
  expect(cold.usage.prompt_tokens_details!.cached_tokens).toBe(0);
  expect(warm.choices[0]!.message.content).toBe(cold.choices[0]!.message.content);
  const lp = (c: ChatCompletion) => c.choices[0]!.logprobs!.content!.map((l) => l.logprob);
  lp(warm).forEach((x, i) => expect(Math.abs(x - lp(cold)[i]!)).toBeLessThan(1e-4));
});

test("n: 2 branches from one prompt (the runner's cache cut back to the prompt) give identical greedy choices", async () => {
  // top_k 1 is greedy; temperature 0 with n > 1 is a 400, as in vLLM.
  const c = await create({ temperature: 1, top_k: 1, max_tokens: 6, ignore_eos: true, logprobs: true, n: 2 });
  const [a, b] = c.choices.map((x) => x.logprobs!.content!);
  expect(c.choices[1]!.message.content).toBe(c.choices[0]!.message.content);
  a!.forEach((x, i) => expect(Math.abs(x.logprob - b![i]!.logprob)).toBeLessThan(1e-5));
});

test("aborting a stream ends it with an abort finish chunk and the engine answers the next request", async () => {
  const chunks = await stream({ temperature: 0, max_tokens: 200, ignore_eos: true }, 3);
  expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("abort");
  expect(chunks.length).toBeLessThan(20);
  const next = await create({ temperature: 0, max_tokens: 2, ignore_eos: true });
  expect(next.choices[0]!.finish_reason).toBe("length");
});

test("typed load errors: a missing graph is a 404 naming the file; WebGPU without shader-f16 refuses q4f16 before any download", async () => {
  const load = (r: OnnxRecord) => page.evaluate((x) => window.onnx.engine.load(x), r) as Promise<ErrorInfo>;
  const missing = await load({ ...record, model_id: "no-q8", dtype: "q8" });
  expect(missing.error).toMatchObject({ status: 404, type: "not_found_error", code: "model_fetch_failed", param: "model" });
  expect(missing.error.message).toContain("tiny-random-qwen3/onnx/model_quantized.onnx");
  const f16 = await load({ ...record, model_id: "f16", model: "/nowhere/", dtype: "q4f16", device: "webgpu" });
  expect(f16.error).toMatchObject({ status: 503, code: "shader_f16_unsupported", param: "model.device" });
  const badDtype = await load({ ...record, model_id: "bad", dtype: "q3" as "q4" });
  expect(badDtype.error).toMatchObject({ status: 400, code: "invalid_model_record", param: "model.dtype" });
});

test("a graph file onnxruntime cannot open is a 500 bad_model_file naming it; the loaded model still answers", async () => {
  // A copy of the Qwen3 folder whose onnx/model.onnx is not an ONNX file.
  await page.context().route(/\/broken-qwen3\//, async (route) => {
    const url = route.request().url();
    if (url.endsWith("/onnx/model.onnx"))
      return route.fulfill({ body: Buffer.from("not an onnx graph"), contentType: "application/octet-stream" });
    return route.fulfill({ response: await route.fetch({ url: url.replace("/broken-qwen3/", "/tiny-random-qwen3/") }) });
  });
  try {
    const r = (await page.evaluate((x) => window.onnx.engine.load(x), {
      ...record,
      model_id: "broken",
      model: "/test/fixtures/onnx/broken-qwen3/",
    })) as ErrorInfo;
    expect(r.error).toMatchObject({ status: 500, type: "server_error", code: "bad_model_file", param: "model" });
    expect(r.error.message).toContain("/broken-qwen3/onnx/model.onnx");
  } finally {
    await page.context().unrouteAll();
  }
  const c = await create({ temperature: 0, max_tokens: 2, ignore_eos: true });
  expect(c.usage.completion_tokens).toBe(2);
});

test("a model folder with a missing or invalid file, or a graph with an input the runner cannot fill: typed errors naming the file or input; the loaded model still answers", async () => {
  // Copies of the Qwen3 folder at /test/fixtures/onnx/variant-<name>/, each with one file replaced (null: missing).
  const variants: Record<string, Record<string, Buffer | null>> = {
    "odd-inputs": { "onnx/model.onnx": readFileSync("test/fixtures/onnx/odd-inputs.onnx") },
    "no-tokenizer": { "tokenizer.json": null },
    "bad-tokenizer": { "tokenizer.json": Buffer.from('{"model": {"type": "BPE", "vocab": ') },
    "not-a-tokenizer": { "tokenizer.json": Buffer.from('{"version": "1.0", "model": {"type": "Mystery"}}') },
    "bad-config": { "config.json": Buffer.from('{"vocab_size": 512,') },
    "bad-tokenizer-config": { "tokenizer_config.json": Buffer.from("chat_template: {{ x }}") },
    "no-external-data": {
      "config.json": Buffer.from(
        JSON.stringify({
          ...JSON.parse(readFileSync(QWEN3.slice(1) + "config.json", "utf8")),
          "transformers.js_config": { use_external_data_format: true },
        }),
      ),
    },
  };
  await page.context().route(/\/variant-[a-z-]+\//, async (route) => {
    const url = route.request().url();
    const [, name, file] = /\/variant-([a-z-]+)\/(.*)$/.exec(url)!;
    const override = variants[name!]?.[file!];
    if (override === null) return route.fulfill({ status: 404, body: "not found" });
    if (override) return route.fulfill({ body: override, contentType: "application/octet-stream" });
    return route.fulfill({ response: await route.fetch({ url: url.replace(`/variant-${name}/`, "/tiny-random-qwen3/") }) });
  });
  const load = async (name: string) =>
    (
      (await page.evaluate((x) => window.onnx.engine.load(x), {
        ...record,
        model_id: name,
        model: `/test/fixtures/onnx/variant-${name}/`,
      })) as ErrorInfo
    ).error;
  try {
    const odd = await load("odd-inputs");
    expect(odd).toMatchObject({ status: 500, type: "server_error", code: "unsupported_model_graph", param: "model" });
    expect(odd.message).toContain(
      "/variant-odd-inputs/onnx/model.onnx has inputs this runner does not know how to fill: token_type_ids",
    );
    const noTokenizer = await load("no-tokenizer");
    expect(noTokenizer).toMatchObject({ status: 404, code: "model_fetch_failed", param: "model" });
    expect(noTokenizer.message).toContain("/variant-no-tokenizer/tokenizer.json");
    const badTokenizer = await load("bad-tokenizer");
    expect(badTokenizer).toMatchObject({ status: 500, type: "server_error", code: "bad_model_file", param: "model" });
    expect(badTokenizer.message).toContain("/variant-bad-tokenizer/tokenizer.json is not a tokenizer the engine can load");
    const notTokenizer = await load("not-a-tokenizer");
    expect(notTokenizer).toMatchObject({ status: 500, type: "server_error", code: "bad_model_file", param: "model" });
    expect(notTokenizer.message).toContain("/variant-not-a-tokenizer/tokenizer.json is not a tokenizer the engine can load");
    const badConfig = await load("bad-config");
    expect(badConfig).toMatchObject({ status: 500, code: "bad_model_file", param: "model" });
    expect(badConfig.message).toContain("/variant-bad-config/config.json is not valid JSON");
    const badTokenizerConfig = await load("bad-tokenizer-config");
    expect(badTokenizerConfig).toMatchObject({ status: 500, code: "bad_model_file", param: "model" });
    expect(badTokenizerConfig.message).toContain("/variant-bad-tokenizer-config/tokenizer_config.json");
    const noData = await load("no-external-data");
    expect(noData).toMatchObject({ status: 404, code: "model_fetch_failed", param: "model" });
    expect(noData.message).toContain("/variant-no-external-data/onnx/model.onnx_data");
  } finally {
    await page.context().unrouteAll();
  }
  const c = await create({ temperature: 0, max_tokens: 2, ignore_eos: true });
  expect(c.usage.completion_tokens).toBe(2);
});

test("after one load the model folder and onnxruntime's wasm come from the Cache API: a new worker loads with them unreachable", async () => {
  const blocked: string[] = [];
  await page.context().route(/\/test\/fixtures\/onnx\/|ort-wasm[^?]*\.wasm(\?no-inline)?$/, (route) => {
    blocked.push(route.request().url());
    return route.abort("internetdisconnected");
  });
  try {
    await page.evaluate(() => window.onnx.engine.restart());
    const again = await page.evaluate((r) => window.onnx.engine.load(r), record);
    expect(again).toMatchObject({ loaded: ["tiny-onnx-qwen3"] });
    // Only optional files the folder does not have are asked for again (absent either way).
    expect(blocked.filter((u) => !/\/chat_template\.(jinja|json)$/.test(u))).toEqual([]);
    const c = await create({ temperature: 0, max_tokens: 2, ignore_eos: true });
    expect(c.usage.completion_tokens).toBe(2);
  } finally {
    await page.context().unrouteAll();
  }
});

test("engine.cache lists the loaded ONNX model (its onnx/ graph included); delete removes it and the next load downloads again", async () => {
  type Api = typeof import("../../src/index.js");
  const list = () =>
    page.evaluate(async () => {
      const api = (await import("/src/index.ts" as string)) as Api;
      return new api.ModelCache().list();
    });
  const dir = "test/fixtures/onnx/tiny-random-qwen3/";
  const files = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"];
  const bytes = files.reduce((n, f) => n + statSync(dir + f).size, 0);
  const mine = (all: Awaited<ReturnType<typeof list>>) => all.filter((m) => m.id === record.model_id || m.id.includes(QWEN3));
  const before = Date.now();
  await page.evaluate(() => window.onnx.engine.restart());
  expect(await page.evaluate((r) => window.onnx.engine.load(r), record)).toMatchObject({ loaded: [record.model_id] });
  const stored = mine(await list());
  expect(stored).toEqual([
    {
      id: record.model_id,
      runner: "onnx",
      backend: "cache",
      bytes,
      files: files.length,
      complete: true,
      lastUsed: expect.any(Number),
    },
  ]);
  expect(stored[0]!.lastUsed).toBeGreaterThanOrEqual(before - 5_000);

  const freed = await page.evaluate(async (id) => {
    const api = (await import("/src/index.ts" as string)) as Api;
    return new api.ModelCache().delete(id);
  }, record.model_id);
  expect(freed).toBe(bytes);
  expect(mine(await list())).toEqual([]);

  const graphFetches: string[] = [];
  const onRequest = (r: { url(): string }) =>
    void (r.url().endsWith("/tiny-random-qwen3/onnx/model.onnx") && graphFetches.push(r.url()));
  page.context().on("request", onRequest);
  try {
    await page.evaluate(() => window.onnx.engine.restart());
    expect(await page.evaluate((r) => window.onnx.engine.load(r), record)).toMatchObject({ loaded: [record.model_id] });
  } finally {
    page.context().off("request", onRequest);
  }
  expect(graphFetches).toHaveLength(1);
  expect(mine(await list())).toMatchObject([{ id: record.model_id, complete: true, bytes }]);
  const c = await create({ temperature: 0, max_tokens: 2, ignore_eos: true });
  expect(c.usage.completion_tokens).toBe(2);
});
