import Ajv from "ajv";
import type { ChatCompletionChunk } from "../../src/protocol/index.js";
import { time, tools, weather } from "../fixtures/weather-tools.js";
import { engineCalls } from "./support/engine-calls.js";
import { expect, fileHarnessTest as test } from "./support/fixtures.js";

const messages = [{ role: "user", content: "What is the weather in Paris, and what time is it there?" }];

const ajv = new Ajv();
const validators: Record<string, ReturnType<typeof ajv.compile>> = {
  get_weather: ajv.compile(weather),
  get_time: ajv.compile(time),
};

const { ok, streamed } = engineCalls({ messages, tools });

type Call = { id: string; name: string; arguments: string };

/**
 * Rebuild calls from OpenAI stream deltas as the AI SDK does (the first delta of a call carries id,
 * type and name, later ones argument fragments), checking on the way that no chunk but the first
 * (role) and the last (finish_reason) has an empty delta. `fragments`: argument pieces per call.
 */
function reassemble(chunks: ChatCompletionChunk[]): {
  calls: Call[];
  content: string;
  finish: string | null;
  fragments: number[];
} {
  const calls: Call[] = [];
  const fragments: number[] = [];
  let content = "";
  let finish: string | null = null;
  const withChoice = chunks.filter((c) => c.choices.length);
  expect(withChoice[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "" });
  for (const [i, c] of withChoice.entries()) {
    const choice = c.choices[0]!;
    const said = Object.values(choice.delta).some((v) => (Array.isArray(v) ? v.length : typeof v === "string" ? v : v != null));
    if (i > 0 && !choice.finish_reason) expect(said, `empty delta in chunk ${i}: ${JSON.stringify(choice.delta)}`).toBe(true);
    content += choice.delta.content ?? "";
    finish = choice.finish_reason ?? finish;
    for (const d of choice.delta.tool_calls ?? []) {
      if (d.index === calls.length) {
        expect(d).toMatchObject({
          id: expect.stringMatching(/^call_/),
          type: "function",
          function: { name: expect.any(String) },
        });
        calls.push({ id: d.id!, name: d.function!.name!, arguments: d.function?.arguments ?? "" });
        fragments.push(0);
      } else {
        expect(d.id).toBeUndefined();
        calls[d.index]!.arguments += d.function?.arguments ?? "";
        fragments[d.index]!++;
      }
    }
  }
  return { calls, content, finish, fragments };
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
    expect(c.message.content).toBe(""); // vLLM: a forced call's content is a string
    expect(c.message.tool_calls!.length).toBeGreaterThan(0);
    for (const call of c.message.tool_calls!) expectValidCall(call, ["get_weather", "get_time"]);
    const s = reassemble(await streamed(harness, body));
    expect(s.finish).toBe("tool_calls");
    expect(s.content).toBe("");
    expect(s.calls.map((x) => [x.name, x.arguments])).toEqual(
      c.message.tool_calls!.map((x) => [x.function.name, x.function.arguments]),
    );
    // The arguments stream as they are written: a fragment per token or so, not one piece at the end.
    for (const [i, call] of s.calls.entries()) expect(s.fragments[i], call.arguments).toBeGreaterThan(3);
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

test('tool_choice "auto" returns content when the model makes no call; "none" keeps tools in the prompt and parses no calls', async ({
  harness,
}) => {
  const auto = await ok(harness, { seed: 3, max_tokens: 20 });
  expect(auto.choices[0]!.message.tool_calls).toBeUndefined();
  expect(auto.choices[0]!.message.content!.length).toBeGreaterThan(0);
  expect(["stop", "length"]).toContain(auto.choices[0]!.finish_reason);
  // vLLM lists the tools in the prompt under tool_choice "none" too; it only stops parsing calls.
  const none = await ok(harness, { seed: 3, max_tokens: 20, tool_choice: "none" });
  expect(none.usage.prompt_tokens).toBe(auto.usage.prompt_tokens);
  expect(none.choices[0]!.message.tool_calls).toBeUndefined();
});

/*
 * The same guarantees in the other families' syntaxes: the tiny model with a small chat template
 * written here in each family's style (tools listed, earlier calls rendered as that family writes
 * them), so the engine detects the family from the template, forces calls in its syntax and parses
 * them back.
 */
const FAMILIES: Record<string, { opens: string; template: string }> = {
  llama3_json: {
    opens: '{"name": "get_time", "parameters": ',
    template: [
      "{%- if tools %}<|start_header_id|>system<|end_header_id|>\n\nAnswer with a JSON call ",
      '{"name": function name, "parameters": {argument: value}} of one of: {{ tools | tojson }}<|eot_id|>{% endif %}',
      "{%- for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>\n\n",
      "{%- if m.tool_calls %}<|python_tag|>{% for c in m.tool_calls %}{{ '; ' if not loop.first }}",
      '{"name": "{{ c.function.name }}", "parameters": {{ c.function.arguments }}}{% endfor %}',
      "{%- else %}{{ m.content }}{% endif %}<|eot_id|>{% endfor %}",
      "{%- if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}",
    ].join(""),
  },
  mistral: {
    opens: '[TOOL_CALLS][{"name": "get_time", "arguments": ',
    template: [
      "{%- for m in messages %}{% if m.role == 'user' %}",
      "{%- if loop.last and tools %}[AVAILABLE_TOOLS]{{ tools | tojson }}[/AVAILABLE_TOOLS]{% endif %}",
      "[INST]{{ m.content }}[/INST]{% elif m.tool_calls %}[TOOL_CALLS][{% for c in m.tool_calls %}",
      '{{ \', \' if not loop.first }}{"name": "{{ c.function.name }}", "arguments": {{ c.function.arguments }}}{% endfor %}]</s>',
      "{%- elif m.role == 'tool' %}[TOOL_RESULTS]{{ m.content }}[/TOOL_RESULTS]{% else %}{{ m.content }}</s>{% endif %}{% endfor %}",
    ].join(""),
  },
  granite: {
    opens: '<|tool_call|>[{"name": "get_time", "arguments": ',
    template: [
      "{%- if tools %}<|start_of_role|>available_tools<|end_of_role|>{{ tools | tojson }}<|end_of_text|>\n{% endif %}",
      "{%- for m in messages %}<|start_of_role|>{{ m.role }}<|end_of_role|>{% if m.tool_calls %}<|tool_call|>[",
      '{%- for c in m.tool_calls %}{{ ", " if not loop.first }}{"name": "{{ c.function.name }}", "arguments": {{ c.function.arguments }}}',
      "{%- endfor %}]{% else %}{{ m.content }}{% endif %}<|end_of_text|>\n{% endfor %}",
      "{%- if add_generation_prompt %}<|start_of_role|>assistant<|end_of_role|>{% endif %}",
    ].join(""),
  },
};

for (const [family, { opens, template: chat_template }] of Object.entries(FAMILIES)) {
  test(`${family}: required and named calls are valid in its syntax; the stream carries them piece by piece`, async ({
    harness,
  }) => {
    for (let seed = 0; seed < 3; seed++) {
      // Sampling pinned: the tiny model's generation_config defaults would apply otherwise.
      const body = { seed, temperature: 1, top_p: 1, top_k: -1, max_tokens: 300, tool_choice: "required", chat_template };
      const c = (await ok(harness, body)).choices[0]!;
      expect(c.finish_reason, JSON.stringify(c.message)).toBe("tool_calls");
      expect(c.message.content).toBe("");
      for (const call of c.message.tool_calls!) expectValidCall(call, ["get_weather", "get_time"]);
      const s = reassemble(await streamed(harness, body));
      expect(s).toMatchObject({ finish: "tool_calls", content: "" });
      expect(s.calls.map((x) => [x.name, x.arguments])).toEqual(
        c.message.tool_calls!.map((x) => [x.function.name, x.function.arguments]),
      );
      for (const [i, call] of s.calls.entries()) expect(s.fragments[i], call.arguments).toBeGreaterThan(3);
    }
    const named = (
      await ok(harness, {
        seed: 5,
        temperature: 1,
        top_p: 1,
        top_k: -1,
        max_tokens: 300,
        logprobs: true,
        chat_template,
        tool_choice: { type: "function", function: { name: "get_time" } },
      })
    ).choices[0]!;
    expect(named.finish_reason).toBe("tool_calls");
    // The template chose the family: the model wrote the call in that family's syntax.
    const raw = named.logprobs!.content!.map((t) => t.token).join("");
    expect(raw.startsWith(opens), raw).toBe(true);
    for (const call of named.message.tool_calls!) expectValidCall(call, ["get_time"]);
  });
}
