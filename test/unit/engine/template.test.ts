import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderChat } from "../../../src/engine/prompt/template.js";
import { ApiError, DEFAULT_LIMITS, normalizeRequest, validateRequest, type EngineLimits } from "../../../src/protocol/index.js";
import { DEFAULT_TINY_MODEL_DIR } from "../../fixtures/make-tiny-model.js";
import { apiError } from "../support/thrown.js";

const QWEN3 = (JSON.parse(readFileSync(DEFAULT_TINY_MODEL_DIR + "/tokenizer_config.json", "utf8")) as { chat_template: string })
  .chat_template;
const CTX = { models: ["m"], contextWindow: 4096, vocabSize: 151936 };
const render = (body: Record<string, unknown>, source = QWEN3, limits: Partial<EngineLimits> = {}) =>
  renderChat(
    source,
    "messages",
    normalizeRequest(validateRequest(body), CTX).template,
    { bos: null, eos: "<|im_end|>" },
    { ...DEFAULT_LIMITS, ...limits },
  );

const weather = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the weather",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const conversation = [
  { role: "system", content: "You are a weather bot." },
  { role: "user", content: "What is the weather in Paris?" },
  {
    role: "assistant",
    content: null,
    tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city": "Paris"}' } }],
  },
  { role: "tool", tool_call_id: "call_1", content: "Sunny, 21 C" },
];

describe("Qwen3 chat template", () => {
  it("renders tools, an assistant tool call and a tool result byte for byte", () => {
    // Written by following the template's branches by hand (see tokenizer_config.json).
    const expected =
      "<|im_start|>system\nYou are a weather bot.\n\n" +
      "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n" +
      "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n" +
      '{"type": "function", "function": {"name": "get_weather", "description": "Get the weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}' +
      "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n" +
      '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n' +
      "<|im_start|>user\nWhat is the weather in Paris?<|im_end|>\n" +
      '<|im_start|>assistant\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call><|im_end|>\n' +
      "<|im_start|>user\n<tool_response>\nSunny, 21 C\n</tool_response><|im_end|>\n" +
      "<|im_start|>assistant\n";
    expect(render({ messages: conversation, tools: [weather] })).toBe(expected);
  });

  it("tool_choice none still lists the tools (as vLLM does); chat_template_kwargs reach the template", () => {
    const none = render({ messages: [{ role: "user", content: "hi" }], tools: [weather], tool_choice: "none" });
    expect(none).toBe(render({ messages: [{ role: "user", content: "hi" }], tools: [weather] }));
    expect(none).toContain("<tools>");
    const noThink = render({ messages: [{ role: "user", content: "hi" }], chat_template_kwargs: { enable_thinking: false } });
    expect(noThink.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n")).toBe(true);
  });

  it("continue_final_message ends the prompt inside the last assistant message", () => {
    const out = render({
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "The answer is" },
      ],
      continue_final_message: true,
      add_generation_prompt: false,
    });
    expect(out.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\nThe answer is")).toBe(true);
  });

  it("a template's own raise_exception, a syntax error with its line, a bounded range()", () => {
    const noUser = apiError(() =>
      render(
        { messages: [{ role: "system", content: "s" }] },
        "{% if messages[-1].role != 'user' %}{{ raise_exception('last message must be from the user') }}{% endif %}",
      ),
    );
    expect({ param: noUser.param, code: noUser.code, status: noUser.status }).toEqual({
      param: "messages",
      code: "template_error",
      status: 400,
    });
    expect(noUser.message).toMatch(/last message must be from the user/);
    const syntax = apiError(() =>
      render({ messages: [{ role: "user", content: "x" }] }, "line one\n{% if true %}\nok\n{% endfor %}\n"),
    );
    expect(syntax.message).toMatch(/^The chat template does not parse \(near line 4\): /);
    expect(
      apiError(() => render({ messages: [{ role: "user", content: "x" }] }, "{% for i in range(10**9) %}{% endfor %}")).message,
    ).toMatch(/over the template limit of 100000/);
    expect(
      render({ messages: [{ role: "user", content: "x" }] }, "{{ range(3) | join(',') }}|{{ strftime_now('%Y') | length }}"),
    ).toBe("0,1,2|4");
  });

  it("templates cannot reach JavaScript globals", () => {
    const out = render(
      { messages: [{ role: "user", content: "x" }] },
      "{{ globalThis is defined }}|{{ process is defined }}|{{ constructor is defined }}",
    );
    expect(out).toBe("false|false|false");
  });

  it("templates cannot climb the prototype chain to Function (nothing runs, the request fails or renders nothing)", () => {
    const g = globalThis as { __pwned?: number };
    const escapes = [
      "{{ ''.constructor.constructor('globalThis.__pwned = 1')() }}",
      "{{ messages.constructor.constructor('globalThis.__pwned = 1')() }}",
      "{{ raise_exception.constructor('globalThis.__pwned = 1')() }}",
      "{{ messages['__proto__']['constructor']['constructor']('globalThis.__pwned = 1')() }}",
      "{{ range.call(null, 3) }}{{ strftime_now.apply }}",
    ];
    for (const source of escapes) {
      let out = "";
      try {
        out = render({ messages: [{ role: "user", content: "x" }] }, source);
      } catch (e) {
        expect(e).toMatchObject({ status: 400, code: "template_error" });
      }
      expect(out).not.toMatch(/function|native code/);
      expect(g.__pwned).toBeUndefined();
    }
  });

  it("a template that loops for ever stops at limits.templateTimeoutMs; one that doubles a string stops at maxTemplateChars", () => {
    const body = { messages: [{ role: "user", content: "x" }] };
    const slow = (() => {
      try {
        render(body, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", {
          templateTimeoutMs: 200,
        });
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(slow).toMatchObject({ status: 400, param: "chat_template", code: "template_timeout" });
    expect(slow?.message).toMatch(/longer than 200 ms \(limits.templateTimeoutMs\)/);
    const doubling =
      "{% set ns = namespace(s='0123456789') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}";
    expect(() => render(body, doubling)).toThrow(expect.objectContaining({ status: 413, code: "prompt_too_large" }) as Error);
  });
});
