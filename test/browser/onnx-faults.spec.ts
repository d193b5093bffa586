/**
 * Faults on the ONNX runner on WebGPU (SwiftShader), through the engine worker as pages run it: a real
 * GPU device loss (the device onnxruntime runs on is destroyed, see onnx-faults.worker.ts) in the
 * middle of a stream and between requests, a reload that fails, and an onnxruntime run error that is
 * not a device loss.
 */
import { test, expect, type Page } from "@playwright/test";
import type { ChatCompletion } from "../../src/protocol/index.js";
import type { ModelRecord } from "../../src/runners/registry.js";
import type { ErrorInfo } from "./support/error-info.js";

const record: ModelRecord = {
  model_id: "tiny-onnx-qwen3-gpu",
  model: "/test/fixtures/onnx/tiny-random-qwen3/",
  runner: "onnx",
  dtype: "fp32",
  device: "webgpu",
};
const body = {
  model: record.model_id,
  messages: [{ role: "user", content: "What is the weather in Paris?" }],
  temperature: 0,
  max_tokens: 8,
  ignore_eos: true,
  logprobs: true,
  return_token_ids: true,
};

let page: Page;
test.describe.configure({ mode: "serial" });
test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  await page.goto("/test/browser/support/onnx-faults.html");
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  expect(await page.evaluate((r) => window.onnxFaults.load(r), record)).toEqual([record.model_id]);
});
test.afterAll(() => page.close());

const create = (b: Record<string, unknown>) => page.evaluate((x) => window.onnxFaults.create(x), b);
const answer = (r: ChatCompletion | ErrorInfo) => {
  if ("error" in r) throw new Error(JSON.stringify(r.error));
  const c = r.choices[0]!;
  return { tokens: c.token_ids, text: c.message.content, logprobs: c.logprobs!.content!.map((l) => l.logprob) };
};
/** Same tokens and text as the cold run; logprobs within WebGPU's float error. */
function expectSame(got: ReturnType<typeof answer>, want: ReturnType<typeof answer>) {
  expect(got.tokens).toEqual(want.tokens);
  expect(got.text).toBe(want.text);
  got.logprobs.forEach((x, i) => expect(Math.abs(x - want.logprobs[i]!)).toBeLessThan(1e-4));
}

test("a GPU device lost mid-stream ends that stream with a 503 gpu_device_lost; the next request reloads on a new device and answers as a cold run", async () => {
  const cold = answer(await create(body));
  expect(cold.tokens).toHaveLength(8);
  const r = await page.evaluate((b) => window.onnxFaults.streamLosingDevice({ ...b, max_tokens: 400, stream: true }, 2), body);
  console.log("lost mid-stream after", r.chunks.length, "chunks:", (r.end as ErrorInfo | null)?.error.message);
  expect(r.lost).toMatchObject({ destroyed: 1 });
  expect(r.end).toMatchObject({
    error: { status: 503, type: "service_unavailable_error", param: "model", code: "gpu_device_lost" },
  });
  expect((r.end as ErrorInfo).error.message).toContain(`"${record.model_id}"`);
  expect(r.chunks.length).toBeGreaterThanOrEqual(2);
  expect(r.chunks.length).toBeLessThan(400);
  expect(r.chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false); // it did not finish normally

  const after = await create(body);
  expectSame(answer(after), cold);
  expect((after as ChatCompletion).usage.prompt_tokens_details?.cached_tokens ?? 0).toBe(0);
  const { made } = await page.evaluate(() => window.onnxFaults.fault("count"));
  expect(made).toBe(2); // the load's device, then the reload's
  // The reloaded session keeps the prefix cache working.
  const warm = await create(body);
  expectSame(answer(warm), cold);
  expect((warm as ChatCompletion).usage.prompt_tokens_details!.cached_tokens).toBeGreaterThan(0);
});

test("a device lost between requests: the next request reloads and answers, without an error", async () => {
  const cold = answer(await create({ ...body, cache_salt: "idle" }));
  expect(await page.evaluate(() => window.onnxFaults.fault("lose"))).toMatchObject({ destroyed: 1 });
  const after = await create({ ...body, cache_salt: "idle" });
  expectSame(answer(after), cold);
  // The new session was fed what the old cache held, so the prefix still counts as cached.
  expect((after as ChatCompletion).usage.prompt_tokens_details!.cached_tokens).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.onnxFaults.fault("count"))).toMatchObject({ made: 3 });
});

test("a reload that finds no adapter is a 503 model_reload_failed; the request after it reloads and answers", async () => {
  const cold = answer(await create(body));
  await page.evaluate(() => window.onnxFaults.fault("lose"));
  await page.evaluate(() => window.onnxFaults.fault("noAdapter"));
  const failed = await create(body);
  expect(failed).toMatchObject({
    error: { status: 503, type: "service_unavailable_error", param: "model", code: "model_reload_failed" },
  });
  expect((failed as ErrorInfo).error.message).toContain("no WebGPU adapter");
  expectSame(answer(await create(body)), cold);
});

for (const device of ["wasm", "webgpu"] as const)
  test(`on ${device}, an onnxruntime error while running (not a device loss) is a 500 model_run_failed naming the model; the model answers the next request`, async () => {
    // The GroupQueryAttention graph's rotary tables hold 512 positions; this copy's config.json claims 4096,
    // so a longer prompt makes onnxruntime's GroupQueryAttention refuse its inputs at run time.
    await page.context().route(/\/gqa-claims-4096\//, async (route) => {
      const url = route.request().url().replace("/gqa-claims-4096/", "/tiny-random-llama-gqa/");
      const res = await route.fetch({ url });
      if (!url.endsWith("/config.json")) return route.fulfill({ response: res });
      return route.fulfill({ response: res, json: { ...(await res.json()), max_position_embeddings: 4096 } });
    });
    const id = `gqa-4096-${device}`;
    const gqa: ModelRecord = { ...record, model_id: id, model: "/test/fixtures/onnx/gqa-claims-4096/", device };
    try {
      expect(await page.evaluate((r) => window.onnxFaults.load(r), gqa)).toContain(id);
      const made = (await page.evaluate(() => window.onnxFaults.fault("count"))).made;
      const short = { ...body, model: id };
      const cold = answer(await create(short));
      const long = { ...short, messages: [{ role: "user", content: "the weather in Paris ".repeat(200) }] };
      const failed = await create(long);
      console.log("run error:", JSON.stringify(failed).slice(0, 400));
      expect(failed).toMatchObject({ error: { status: 500, type: "server_error", code: "model_run_failed" } });
      expect((failed as ErrorInfo).error.message).toContain(`"${id}" on ${device}`);
      expectSame(answer(await create(short)), cold);
      // Not taken for a device loss: no new device (on WebGPU the session is opened again on the same one).
      expect(await page.evaluate(() => window.onnxFaults.fault("count"))).toMatchObject({ made });
      expectSame(answer(await create(body)), answer(await create({ ...body, cache_salt: "other model still fine" })));
    } finally {
      await page.context().unrouteAll();
    }
  });
