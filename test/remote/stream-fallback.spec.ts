/**
 * A stream already running when its GPU device is lost goes on with the fallback model: the engine
 * in Chromium streams from an ONNX model on WebGPU (SwiftShader), the worker's devices are destroyed
 * mid-stream (onnx-faults.worker.ts, a real device loss), and the rest of the answer comes from
 * the shared tiny vLLM on the same stream; or, when it cannot, a typed error says how much arrived.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import type { ChatCompletion, ChatCompletionChunk, FallbackEvent } from "../../src/index.js";
import type { ModelRecord } from "../../src/runners/registry.js";
import type { ErrorInfo } from "../browser/support/error-info.js";
import { API_KEY, REMOTE_ID, SERVED, TINY_URL, waitReady } from "./servers.js";

test.describe.configure({ mode: "serial" });

type Streamed = {
  chunks: ChatCompletionChunk[];
  end: null;
  error?: ErrorInfo["error"];
  lost: { destroyed: number } | null;
  events: FallbackEvent[];
};

const local: ModelRecord = {
  model_id: "tiny-onnx-qwen3-gpu",
  model: "/test/fixtures/onnx/tiny-random-qwen3/",
  runner: "onnx",
  dtype: "fp32",
  device: "webgpu",
};
const messages = [{ role: "user", content: "What is the weather in Paris?" }];
const body = { model: local.model_id, messages, temperature: 0, max_tokens: 60, ignore_eos: true, return_token_ids: true };

let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(960_000);
  await waitReady(TINY_URL, Number(process.env.VLLM_WAIT_S ?? 900) * 1000);
  page = await browser.newPage();
  await page.goto("/test/remote/page.html");
  await page.waitForFunction(() => "remote" in window);
  const remote = await page.evaluate((k) => window.remote.record("/vllm-tiny", { api_key: k }), API_KEY);
  const started = await page.evaluate(([l, r, to]) => window.remote.start([l as never, r], { fallback: to, gpuFaults: true }), [
    local,
    remote,
    REMOTE_ID,
  ] as const);
  expect(started).toMatchObject({ models: { data: [{ id: local.model_id }, { id: REMOTE_ID }] } });
});

const lose = (b: object, after: number) =>
  page.evaluate(([x, n]) => window.remote.streamLosingDevice(x as never, n), [b, after] as const) as Promise<Streamed>;
const text = (cs: ChatCompletionChunk[]) => cs.map((c) => c.choices[0]?.delta.content ?? "").join("");

test("device lost mid-stream: the same stream goes on with the fallback's continuation of the partial answer; later chunks name the fallback", async () => {
  const r = await lose(body, 2);
  expect(r.lost).toMatchObject({ destroyed: 1 });
  expect(r.error).toBeUndefined();
  const before = r.chunks.filter((c) => c.model === local.model_id);
  const after = r.chunks.filter((c) => c.model === REMOTE_ID);
  expect(before.length).toBeGreaterThanOrEqual(2);
  expect(after.length).toBeGreaterThan(0);
  expect(r.chunks.slice(0, before.length)).toEqual(before); // the local part first, then only the fallback's
  expect(new Set(r.chunks.map((c) => c.id)).size).toBe(1); // one answer
  expect(after.every((c) => c.choices.every((x) => x.delta.role === undefined))).toBe(true);
  expect(r.chunks.at(-1)!.choices[0]!.finish_reason).toBe("length");
  expect(r.events).toEqual([expect.objectContaining({ from: local.model_id, to: REMOTE_ID, reason: "gpu_device_lost" })]);

  // The continuation is what vLLM itself answers for the conversation plus the partial answer, continued.
  const partial = text(before);
  const localTokens = before.flatMap((c) => c.choices[0]?.token_ids ?? []).length;
  const res = await fetch(`${TINY_URL}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({
      ...body,
      model: SERVED,
      messages: [...messages, { role: "assistant", content: partial }],
      continue_final_message: true,
      add_generation_prompt: false,
      max_tokens: body.max_tokens - localTokens,
    }),
  });
  const direct = ((await res.json()) as ChatCompletion).choices[0]!;
  expect(partial.length).toBeGreaterThan(0);
  expect(text(after)).toBe((direct.message.content ?? "") + (direct.message.reasoning ?? ""));
  expect(after.flatMap((c) => c.choices[0]?.token_ids ?? [])).toEqual(direct.token_ids);
  expect(localTokens + direct.token_ids!.length).toBe(body.max_tokens);
});

test("an answer that cannot be continued (n = 2) fails with the same typed error, naming why; the local model answers again after", async () => {
  const r = await lose({ ...body, n: 2, temperature: 0.8, seed: 1 }, 4);
  expect(r.error).toMatchObject({ status: 503, code: "stream_fallback_failed" });
  expect(r.error!.message).toContain("n > 1");
  const again = (await page.evaluate((b) => window.remote.create(b as never), { ...body, max_tokens: 3 })) as {
    answer: ChatCompletion;
  };
  expect(again.answer.model).toBe(local.model_id);
});

test("when the fallback server refuses the continuation (an OpenAI-style server that takes no vLLM fields), the stream fails with a typed error saying how much had arrived", async () => {
  // Answers /v1/models, and refuses the continuation's fields as api.openai.com does.
  const strict = createServer((req, res) => {
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-allow-headers", "authorization, content-type");
    if (req.method === "OPTIONS") return res.writeHead(204).end();
    res.setHeader("content-type", "application/json");
    if (req.url === "/v1/models")
      return res.end(JSON.stringify({ object: "list", data: [{ id: "strict-model", object: "model" }] }));
    const message = "Unrecognized request arguments supplied: add_generation_prompt, continue_final_message";
    res.writeHead(400).end(JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code: null } }));
  });
  await new Promise<void>((r) => strict.listen(0, "127.0.0.1", r));
  try {
    const url = `http://127.0.0.1:${(strict.address() as AddressInfo).port}/v1`;
    const record = { model_id: "strict", runner: "remote", base_url: url, model: "strict-model" };
    const started = await page.evaluate(
      ([l, r]) => window.remote.start([l as never, r as never], { fallback: "strict", gpuFaults: true }),
      [local, record] as const,
    );
    expect(started).toMatchObject({ models: { data: [{ id: local.model_id }, { id: "strict" }] } });
    const r = await lose(body, 2);
    expect(r.chunks.every((c) => c.model === local.model_id)).toBe(true);
    expect(r.error).toMatchObject({ status: 503, type: "service_unavailable_error", code: "stream_fallback_failed" });
    const arrived = text(r.chunks).length;
    expect(arrived).toBeGreaterThan(0);
    expect(r.error!.message).toContain(`"${local.model_id}" failed mid-answer (gpu_device_lost) after ${arrived} characters`);
    expect(r.error!.message).toContain("continue_final_message"); // the server's own refusal, kept
    expect(r.events).toEqual([expect.objectContaining({ from: local.model_id, to: "strict", reason: "gpu_device_lost" })]);
  } finally {
    await new Promise((r) => strict.close(r));
  }
});
