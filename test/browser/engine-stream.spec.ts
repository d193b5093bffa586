import { chatCompletionChunkSchema, chatCompletionSchema, type ChatCompletion } from "../../src/protocol/index.js";
import { engineCalls } from "./support/engine-calls.js";
import { expect, fileHarnessTest as test } from "./support/fixtures.js";

const messages = [{ role: "user", content: "Write a poem about the sea." }];
const { ok: create, streamed: stream } = engineCalls({ messages });

test.describe.configure({ mode: "serial" });

test("a stop string split across two tokens is cut, with and without include_stop_str_in_output", async ({ harness }) => {
  const base = { temperature: 0, max_tokens: 24, logprobs: true, ignore_eos: true };
  const free = await create(harness, base);
  const content = free.choices[0]!.message.content!;
  const pieces = free.choices[0]!.logprobs!.content!.map((l) => l.token);
  // A boundary whose last char + next first char first occurs exactly there.
  let at = -1;
  let stop = "";
  let offset = 0;
  for (let i = 1; i < pieces.length && at < 0; i++) {
    offset += pieces[i - 1]!.length;
    const candidate = pieces[i - 1]!.slice(-1) + pieces[i]!.slice(0, 1);
    if (pieces[i - 1]!.length && pieces[i]!.length && !candidate.includes("\uFFFD") && content.indexOf(candidate) === offset - 1)
      [at, stop] = [offset - 1, candidate];
  }
  expect(at, `no usable boundary in ${JSON.stringify(pieces)}`).toBeGreaterThan(0);
  const cut = await create(harness, { ...base, stop: [stop] });
  expect(cut.choices[0]).toMatchObject({ finish_reason: "stop", stop_reason: stop, message: { content: content.slice(0, at) } });
  const kept = await create(harness, { ...base, stop, include_stop_str_in_output: true });
  expect(kept.choices[0]!.message.content).toBe(content.slice(0, at + stop.length));
  // Streaming holds the partial match back and never emits the stop string.
  const chunks = await stream(harness, { ...base, stop: [stop] });
  expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(content.slice(0, at));
});

test("streaming: role first, deltas concatenate to the non-streamed content, finish chunk, usage chunk", async ({ harness }) => {
  const body = { temperature: 0.8, seed: 77, max_tokens: 20, return_token_ids: true, ignore_eos: true };
  const whole = await create(harness, body);
  const chunks = await stream(harness, { ...body, stream_options: { include_usage: true } });
  // The wire shapes the protocol declares (what the OpenAI / vLLM clients parse).
  expect(() => chatCompletionSchema.parse(whole)).not.toThrow();
  for (const c of chunks) expect(() => chatCompletionChunkSchema.parse(c)).not.toThrow();
  expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "" });
  expect(chunks[0]!.prompt_token_ids).toEqual(whole.prompt_token_ids);
  const withChoices = chunks.filter((c) => c.choices.length);
  expect(withChoices.map((c) => c.choices[0]!.delta.content ?? "").join("")).toBe(whole.choices[0]!.message.content);
  expect(withChoices.flatMap((c) => c.choices[0]!.token_ids ?? [])).toEqual(whole.choices[0]!.token_ids);
  expect(withChoices.at(-1)!.choices[0]!.finish_reason).toBe("length");
  expect(withChoices.slice(0, -1).every((c) => c.choices[0]!.finish_reason === null)).toBe(true);
  expect(withChoices.every((c) => c.usage === null)).toBe(true);
  const last = chunks.at(-1)!;
  expect(last.choices).toEqual([]);
  expect(last.usage).toMatchObject({
    prompt_tokens: whole.usage.prompt_tokens,
    completion_tokens: 20,
    total_tokens: whole.usage.prompt_tokens + 20,
  });
  expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.model === "tiny-random-qwen3")).toBe(true);
});

test("continuous_usage_stats puts running usage on every chunk", async ({ harness }) => {
  const chunks = await stream(harness, {
    temperature: 0,
    max_tokens: 5,
    ignore_eos: true,
    stream_options: { include_usage: true, continuous_usage_stats: true },
  });
  const counts = chunks.filter((c) => c.choices.length).map((c) => c.usage!.completion_tokens);
  // vLLM: the role chunk, then one per token, the fifth with finish_reason (then the usage chunk).
  expect(counts).toEqual([0, 1, 2, 3, 4, 5]);
});

test("echo starts the response with the assistant prefix being continued", async ({ harness }) => {
  const msgs = [...messages, { role: "assistant", content: "Once upon a time" }];
  const c = await create(harness, {
    messages: msgs,
    echo: true,
    continue_final_message: true,
    add_generation_prompt: false,
    temperature: 0,
    max_tokens: 4,
    ignore_eos: true,
  });
  expect(c.choices[0]!.message.content!.startsWith("Once upon a time")).toBe(true);
  const s = await stream(harness, {
    messages: msgs,
    echo: true,
    continue_final_message: true,
    add_generation_prompt: false,
    temperature: 0,
    max_tokens: 4,
    ignore_eos: true,
  });
  expect(s[1]!.choices[0]!.delta.content).toBe("Once upon a time");
  expect(s.map((x) => x.choices[0]?.delta.content ?? "").join("")).toBe(c.choices[0]!.message.content);
});

test("request_id names the response id; cancel by request_id ends the request with finish_reason abort", async ({ harness }) => {
  const pending = harness.evaluate(() =>
    window.harness.engine.create({
      messages: [{ role: "user", content: "go" }],
      request_id: "long-1",
      max_tokens: 2000,
      ignore_eos: true,
    }),
  );
  // The first call also loads the model: cancel as soon as the request is known.
  await expect.poll(() => harness.evaluate(() => window.harness.engine.cancel("long-1")), { timeout: 30_000 }).toBe(true);
  const r = (await pending) as ChatCompletion;
  expect(r.id).toBe("chatcmpl-long-1"); // vLLM's form: "chatcmpl-" + request_id
  expect(r.choices[0]!.finish_reason).toBe("abort");
  expect(r.usage.completion_tokens).toBeLessThan(2000);
  // The engine serves the next request normally.
  const next = await create(harness, { temperature: 0, max_tokens: 2, request_id: "long-1" });
  expect(next.choices[0]!.finish_reason).not.toBe("abort");
});

test("aborting a stream ends it with an abort finish chunk", async ({ harness }) => {
  const chunks = await stream(harness, { temperature: 0, max_tokens: 500, ignore_eos: true }, 4);
  const last = chunks.at(-1)!;
  expect(last.choices[0]!.finish_reason).toBe("abort");
  expect(chunks.length).toBeLessThan(20);
});
