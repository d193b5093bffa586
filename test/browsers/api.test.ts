/**
 * The API essentials in every engine, on the reference runner (exact CPU maths, so every browser must
 * produce the tokens Node does): greedy tokens, a seeded stream, logprobs, json_schema, a required tool
 * call, a typed error, abort.
 */
import Ajv from "ajv";
import { expect, test } from "vitest";
import type { ChatCompletion, ChatCompletionChunk } from "../../src/protocol/index.js";
import type { ErrorInfo } from "../browser/support/error-info.js";
import { allLogits, argmax, logSoftmaxAt } from "../browser/support/node-reference.js";
import { eachBrowser } from "./each-browser.js";
import type { Tab } from "./drivers/tab.js";

const messages = [{ role: "user", content: "Write a poem about the sea." }];

async function create(tab: Tab, body: object): Promise<ChatCompletion> {
  const r = await tab.run<ChatCompletion | ErrorInfo>(`window.harness.engine.create(${JSON.stringify({ messages, ...body })})`);
  if ("error" in r) throw new Error(JSON.stringify(r.error));
  return r;
}
async function stream(tab: Tab, body: object, abortAfter?: number): Promise<ChatCompletionChunk[]> {
  const b = JSON.stringify({ messages, ...body, stream: true });
  const r = await tab.run<ChatCompletionChunk[] | ErrorInfo>(`window.harness.engine.stream(${b}, ${abortAfter ?? "undefined"})`);
  if ("error" in r) throw new Error(JSON.stringify(r.error));
  return r;
}

/** Greedy continuation of `prompt` on the Node reference runner, with each chosen token's logprob. */
async function nodeGreedy(prompt: number[], steps: number) {
  const ids = [...prompt];
  const logprobs: number[] = [];
  for (let s = 0; s < steps; s++) {
    const row = (await allLogits(ids)).at(-1)!;
    const id = argmax(row);
    logprobs.push(logSoftmaxAt(row, id));
    ids.push(id);
  }
  return { tokens: ids.slice(prompt.length), logprobs };
}

const HARNESS = "/test/browser/support/harness.html";

eachBrowser("API essentials on the reference runner", (ctx) => {
  test("greedy tokens and their logprobs equal Node's reference runner; top_logprobs sorted", async () => {
    const c = await create(await ctx.tab(HARNESS), {
      temperature: 0,
      max_tokens: 8,
      ignore_eos: true,
      return_token_ids: true,
      logprobs: true,
      top_logprobs: 3,
    });
    const want = await nodeGreedy(c.prompt_token_ids!, 8);
    expect(c.choices[0]!.token_ids).toEqual(want.tokens);
    const content = c.choices[0]!.logprobs!.content!;
    content.forEach((l, i) => {
      expect(Math.abs(l.logprob - want.logprobs[i]!)).toBeLessThan(1e-3);
      expect(l.top_logprobs).toHaveLength(3);
      expect(l.top_logprobs[0]!.logprob).toBeCloseTo(l.logprob, 5);
      expect(l.top_logprobs.map((t) => t.logprob)).toEqual([...l.top_logprobs.map((t) => t.logprob)].sort((a, b) => b - a));
    });
  });

  test("a seeded stream: role first, deltas join to the non-streamed content, finish then usage", async () => {
    const tab = await ctx.tab(HARNESS);
    const body = { temperature: 0.8, seed: 77, max_tokens: 16, ignore_eos: true };
    const whole = await create(tab, body);
    const chunks = await stream(tab, { ...body, stream_options: { include_usage: true } });
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "" });
    const withChoices = chunks.filter((c) => c.choices.length);
    expect(withChoices.map((c) => c.choices[0]!.delta.content ?? "").join("")).toBe(whole.choices[0]!.message.content);
    expect(withChoices.at(-1)!.choices[0]!.finish_reason).toBe("length");
    expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: 16 });
  });

  test("json_schema output parses and validates", async () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string", maxLength: 12 }, days: { type: "integer", minimum: 1, maximum: 9 } },
      required: ["city", "days"],
      additionalProperties: false,
    };
    const c = await create(await ctx.tab(HARNESS), {
      seed: 5,
      max_tokens: 80,
      response_format: { type: "json_schema", json_schema: { name: "trip", schema } },
    });
    expect(c.choices[0]!.finish_reason).toBe("stop");
    const value: unknown = JSON.parse(c.choices[0]!.message.content!);
    const validate = new Ajv().compile(schema);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });

  test('tool_choice "required" returns a call to a declared tool with arguments that validate', async () => {
    const parameters = { type: "object", properties: { city: { type: "string", maxLength: 10 } }, required: ["city"] };
    const c = await create(await ctx.tab(HARNESS), {
      seed: 2,
      max_tokens: 200,
      tools: [{ type: "function", function: { name: "get_weather", parameters } }],
      tool_choice: "required",
    });
    expect(c.choices[0]!.finish_reason).toBe("tool_calls");
    const call = c.choices[0]!.message.tool_calls![0]!;
    expect(call.function.name).toBe("get_weather");
    expect(new Ajv().validate(parameters, JSON.parse(call.function.arguments))).toBe(true);
  });

  test("bad input is a typed 400 naming the parameter; the engine answers the next request", async () => {
    const tab = await ctx.tab(HARNESS);
    const r = await tab.run<ErrorInfo>(`window.harness.engine.create(${JSON.stringify({ messages, temprature: 1 })})`);
    expect(r.error).toEqual({
      status: 400,
      type: "invalid_request_error",
      param: "temprature",
      code: "unknown_parameter",
      message: 'Unknown field "temprature". Did you mean "temperature"?',
    });
    expect((await create(tab, { max_tokens: 2 })).choices[0]!.finish_reason).toBeTruthy();
  });

  test("an aborted stream ends with finish_reason abort and the engine goes on", async () => {
    const tab = await ctx.tab(HARNESS);
    const chunks = await stream(tab, { max_tokens: 200, ignore_eos: true }, 3);
    expect(chunks.filter((c) => c.choices.length).at(-1)!.choices[0]!.finish_reason).toBe("abort");
    expect(chunks.length).toBeLessThan(200);
    expect((await create(tab, { max_tokens: 3, ignore_eos: true })).usage.completion_tokens).toBe(3);
  });
});
