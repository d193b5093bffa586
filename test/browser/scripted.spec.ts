/**
 * The scripted model of webgpu-chat-engine/testing: a test says what the model answers and the
 * app gets it through the real engine. First as a user would test their app (the demo app, with
 * `useScriptedModel` and nothing changed in the app), then the engine-level details the script
 * reaches: stream deltas, reasoning, logprobs, usage, finish reasons, matching by `when`.
 */
import { expect, test } from "@playwright/test";
import { useScriptedModel, type ModelScript } from "../../src/testing/index.js";
import { chooseTinyModel } from "./support/demo-page.js";
import type { ChatCompletion, ChatCompletionChunk } from "../../src/index.js";

test("a user-style test: the app runs the scripted tool call and shows the scripted answer", async ({ page }) => {
  await useScriptedModel(page, [
    { reasoning: "Arithmetic: use the calculator.", toolCalls: [{ name: "calculator", arguments: { expression: "6*7" } }] },
    { when: "<tool_response>", content: "6 times 7 is 42." }, // the tool result the app sends back
  ]);
  await page.goto("/");
  await chooseTinyModel(page);
  await page.getByRole("button", { name: "Load" }).click();
  await expect(page.locator("#load-status")).toHaveText("tiny-random-qwen3 is ready.", { timeout: 90_000 });
  await page.getByLabel("Demo tools").check();
  await page.getByLabel("Message").fill("What is 6 times 7?");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#transcript li.tool").first()).toContainText('calculator({"expression":"6*7"}) → 42', {
    timeout: 60_000,
  });
  await expect(page.locator("#transcript li.assistant").nth(1).locator(".body")).toHaveText("6 times 7 is 42.");
  await expect(page.locator("#transcript li.assistant").nth(1).locator(".stats")).toContainText("finish: stop");
  await expect(page.locator("#transcript li.assistant").first().locator(".stats")).toContainText("finish: tool_calls");
});

test("engine level: stream deltas, reasoning, logprobs, usage and replies chosen by `when`", async ({ page }) => {
  await page.goto("/test/browser/support/harness.html");
  const script: ModelScript = [
    { when: "Paris", reasoning: "Look it up.", toolCalls: [{ name: "get_weather", arguments: '{"city": "Paris"}' }] },
    { when: "sunny", content: "It is sunny in Paris." },
    { content: "Hello!" },
  ];
  const out = await page.evaluate(async (script) => {
    const lib = (await import("/src/index.ts" as string)) as typeof import("../../src/index.js");
    const testing = (await import("/src/testing/index.ts" as string)) as typeof import("../../src/testing/index.js");
    const engine = await lib.createEngine({ model: testing.scriptedModel(script, { id: "weather-bot" }) });
    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object" } } }];
    const ask = { model: "weather-bot", tools, logprobs: true, top_logprobs: 2, temperature: 0.8, seed: 1 };
    const user = { role: "user" as const, content: "Weather in Paris?" };
    const first: ChatCompletion = await engine.chat.completions.create({ ...ask, messages: [user] });
    const stream = await engine.chat.completions.create({
      ...ask,
      messages: [user],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const call = first.choices[0]!.message.tool_calls![0]!;
    const second: ChatCompletion = await engine.chat.completions.create({
      ...ask,
      // role: "assistant" here (a generation prompt opened the turn); the type also allows vLLM's other roles.
      messages: [
        user,
        { ...first.choices[0]!.message, role: "assistant" as const },
        { role: "tool", tool_call_id: call.id, content: "sunny, 24 °C" },
      ],
    });
    const greeting: ChatCompletion = await engine.chat.completions.create({ messages: [{ role: "user", content: "Hi" }] });
    let unscripted = "";
    try {
      await engine.chat.completions.create({
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello!" },
          { role: "user", content: "Again" },
        ],
      });
    } catch (e) {
      unscripted = (e as Error).message;
    }
    let badScript: unknown = null;
    try {
      await engine.load({
        model_id: "bad",
        model: "/models/tiny-random-qwen3/",
        runner: "scripted",
        script: [{ text: "hi" }],
      } as never);
    } catch (e) {
      const err = e as InstanceType<typeof lib.ApiError>;
      badScript = { status: err.status, param: err.param, code: err.code, message: err.message };
    }
    await engine.dispose();
    return { first, chunks, second, greeting, unscripted, badScript };
  }, script);

  const first = out.first.choices[0]!;
  expect(first.finish_reason).toBe("tool_calls");
  expect(first.message.reasoning_content).toBe("Look it up.");
  expect(first.message.content).toBeNull();
  expect(first.message.tool_calls).toHaveLength(1);
  expect(first.message.tool_calls![0]!.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
  // Every token was the scripted one with probability 1, at temperature 0.8 too.
  for (const lp of first.logprobs!.content!) expect(lp.logprob).toBe(0);
  expect(out.first.usage.completion_tokens).toBe(first.logprobs!.content!.length);

  // The stream says the same in OpenAI's deltas: reasoning, then the call (id, name first, then arguments).
  const deltas = out.chunks.flatMap((c) => c.choices.map((ch) => ch.delta));
  expect(deltas.map((d) => d.reasoning_content ?? "").join("")).toBe("Look it up.");
  const callDeltas = deltas.flatMap((d) => d.tool_calls ?? []);
  expect(callDeltas[0]).toMatchObject({ index: 0, type: "function", function: { name: "get_weather" } });
  expect(callDeltas.map((d) => d.function?.arguments ?? "").join("")).toBe('{"city":"Paris"}');
  expect(out.chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean)).toEqual(["tool_calls"]);
  // Same usage; the second time the prompt (all but its last token) came from the prefix cache.
  const { prompt_tokens, completion_tokens, total_tokens, completion_tokens_details } = out.first.usage;
  expect(out.chunks.at(-1)!.usage).toEqual({
    prompt_tokens,
    completion_tokens,
    total_tokens,
    // A model with a reasoning parser counts its reasoning tokens, streamed or not.
    completion_tokens_details,
    prompt_tokens_details: { cached_tokens: prompt_tokens - 1 },
  });

  expect(out.second.choices[0]!.message.content).toBe("It is sunny in Paris.");
  expect(out.second.choices[0]!.finish_reason).toBe("stop");
  expect(out.greeting.choices[0]!.message.content).toBe("Hello!");
  expect(out.unscripted).toContain("no reply for turn 2");
  // A record with a bad script is refused before anything loads, naming the field.
  expect(out.badScript).toEqual({
    status: 400,
    param: "model.script.0.text",
    code: "invalid_model_record",
    message: "model.script.0.text unknown field (known: when, reasoning, content, toolCalls).",
  });
});
