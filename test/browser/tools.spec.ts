import Ajv from "ajv";
import type { ChatCompletionChunk } from "../../src/protocol/index.js";
import { engineCalls } from "./support/engine-calls.js";
import { expect, test } from "./support/fixtures.js";

const messages = [{ role: "user", content: "What is the weather in Paris, and what time is it there?" }];

const weather = {
  type: "object",
  properties: { city: { type: "string", maxLength: 12 }, unit: { enum: ["celsius", "fahrenheit"] } },
  required: ["city", "unit"],
  additionalProperties: false,
};
const time = {
  type: "object",
  properties: { timezone: { enum: ["UTC", "CET", "PST"] }, format: { enum: ["12h", "24h"] } },
  required: ["timezone"],
  additionalProperties: false,
};
const tools = [
  { type: "function", function: { name: "get_weather", description: "Current weather in a city", parameters: weather } },
  { type: "function", function: { name: "get_time", description: "Current time in a timezone", parameters: time } },
];
const ajv = new Ajv();
const validators: Record<string, ReturnType<typeof ajv.compile>> = {
  get_weather: ajv.compile(weather),
  get_time: ajv.compile(time),
};

const { ok, streamed } = engineCalls({ messages, tools });

type Call = { id: string; name: string; arguments: string };

/** Rebuild calls from OpenAI stream deltas: id and name open a call, argument fragments append. */
function reassemble(chunks: ChatCompletionChunk[]): { calls: Call[]; content: string; finish: string | null } {
  const calls: Call[] = [];
  let content = "";
  let finish: string | null = null;
  for (const c of chunks) {
    const choice = c.choices[0];
    if (!choice) continue;
    content += choice.delta.content ?? "";
    finish = choice.finish_reason ?? finish;
    for (const d of choice.delta.tool_calls ?? []) {
      if (d.id) {
        expect(d.index).toBe(calls.length);
        expect(d.function?.name).toBeTruthy();
        calls.push({ id: d.id, name: d.function!.name!, arguments: d.function?.arguments ?? "" });
      } else calls[d.index]!.arguments += d.function?.arguments ?? "";
    }
  }
  return { calls, content, finish };
}

function expectValidCall(
  call: { id: string; type?: string; function: { name: string; arguments: string } },
  names: string[],
): void {
  expect(call.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
  expect(names).toContain(call.function.name);
  const validate = validators[call.function.name]!;
  expect(validate(JSON.parse(call.function.arguments)), `${call.function.arguments} ${JSON.stringify(validate.errors)}`).toBe(
    true,
  );
}

test.describe.configure({ mode: "serial" });

test('tool_choice "required": every output is a valid call; streamed deltas reassemble to it', async ({ harness }) => {
  for (let seed = 0; seed < 10; seed++) {
    const body = { seed, max_tokens: 400, tool_choice: "required" };
    const c = (await ok(harness, body)).choices[0]!;
    expect(c.finish_reason, JSON.stringify(c.message)).toBe("tool_calls");
    expect(c.message.content).toBeNull();
    expect(c.message.tool_calls!.length).toBeGreaterThan(0);
    for (const call of c.message.tool_calls!) expectValidCall(call, ["get_weather", "get_time"]);
    const s = reassemble(await streamed(harness, body));
    expect(s.finish).toBe("tool_calls");
    expect(s.content).toBe("");
    expect(s.calls.map((x) => [x.name, x.arguments])).toEqual(
      c.message.tool_calls!.map((x) => [x.function.name, x.function.arguments]),
    );
  }
});

test("a named tool_choice always calls that tool; parallel_tool_calls false makes exactly one call", async ({ harness }) => {
  for (let seed = 0; seed < 6; seed++) {
    const named = (
      await ok(harness, { seed, max_tokens: 400, tool_choice: { type: "function", function: { name: "get_time" } } })
    ).choices[0]!;
    expect(named.finish_reason).toBe("tool_calls");
    for (const call of named.message.tool_calls!) expectValidCall(call, ["get_time"]);
    const single = (await ok(harness, { seed, max_tokens: 400, tool_choice: "required", parallel_tool_calls: false }))
      .choices[0]!;
    expect(single.message.tool_calls).toHaveLength(1);
    expectValidCall(single.message.tool_calls![0]!, ["get_weather", "get_time"]);
  }
});

test('tool_choice "auto" returns content when the model makes no call; "none" leaves tools out of the prompt', async ({
  harness,
}) => {
  const auto = await ok(harness, { seed: 3, max_tokens: 20 });
  expect(auto.choices[0]!.message.tool_calls).toBeUndefined();
  expect(auto.choices[0]!.message.content!.length).toBeGreaterThan(0);
  expect(["stop", "length"]).toContain(auto.choices[0]!.finish_reason);
  const none = await ok(harness, { seed: 3, max_tokens: 20, tool_choice: "none" });
  expect(none.usage.prompt_tokens).toBeLessThan(auto.usage.prompt_tokens);
});
