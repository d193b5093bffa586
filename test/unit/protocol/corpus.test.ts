import { describe, expect, it } from "vitest";
import { normalizeRequest, REQUEST_FIELDS, validateRequest } from "../../../src/protocol/index.js";
import { CORPUS, CTX } from "./corpus.js";
import { apiError } from "../support/thrown.js";
const base = { messages: [{ role: "user", content: "hi" }] };

function check(body: unknown) {
  return normalizeRequest(validateRequest(body), CTX);
}

describe("request corpus: every field has a valid and an invalid case", () => {
  it("covers every field of the schema", () => {
    expect(Object.keys(CORPUS).sort()).toEqual([...REQUEST_FIELDS].sort());
  });

  for (const [field, c] of Object.entries(CORPUS)) {
    it(`${field}: valid requests pass`, () => {
      for (const v of c.valid) expect(() => check({ ...base, ...v })).not.toThrow();
    });
    it(`${field}: invalid request -> ${c.type ?? "invalid_request_error"} at ${c.param}`, () => {
      const e = apiError(() => check({ ...base, ...c.invalid }));
      expect({ param: e.param, type: e.type, code: e.code }).toEqual({
        param: c.param,
        type: c.type ?? "invalid_request_error",
        code: c.code,
      });
      expect(e.status).toBe(c.type === "not_found_error" ? 404 : 400);
      expect(e.message.length).toBeGreaterThan(20);
      if (c.message) expect(e.message).toMatch(c.message);
    });
  }
});

describe("unknown and malformed input", () => {
  it("a misspelled field is named, with a suggestion", () => {
    const e = apiError(() => check({ ...base, temprature: 0.5 }));
    expect(e.toJSON()).toEqual({
      error: {
        message: 'Unknown field "temprature". Did you mean "temperature"?',
        type: "invalid_request_error",
        param: "temprature",
        code: "unknown_parameter",
      },
    });
  });

  it("unknown nested fields and deprecated OpenAI names are named", () => {
    expect(apiError(() => check({ ...base, functions: [] })).message).toBe(
      'Unknown field "functions". Use tools instead (functions is OpenAI\'s deprecated name).',
    );
    expect(apiError(() => check({ messages: [{ role: "user", content: "x", tool_calls: [] }] })).param).toBe(
      "messages.0.tool_calls",
    );
  });

  it("a wrong role lists the roles", () => {
    const e = apiError(() => check({ messages: [{ role: "bot", content: "x" }] }));
    expect(e.param).toBe("messages.0.role");
    expect(e.message).toBe('"messages.0.role" must be one of "system", "developer", "user", "assistant", "tool" (got "bot").');
  });

  it("missing fields, empty messages, bodies that are not objects", () => {
    expect(apiError(() => check({})).toJSON().error).toMatchObject({ param: "messages", code: "missing_required_parameter" });
    expect(apiError(() => check({ messages: [] })).param).toBe("messages");
    expect(apiError(() => check([base])).param).toBeNull();
    expect(apiError(() => check("hi")).message).toMatch(/must be a JSON object/);
    expect(apiError(() => check({ messages: [{ role: "tool", content: "x" }] })).toJSON().error).toMatchObject({
      param: "messages.0.tool_call_id",
      code: "missing_required_parameter",
    });
  });

  it("content parts: deep errors point at the part, media parts are refused by name", () => {
    expect(apiError(() => check({ messages: [{ role: "user", content: [{ type: "text" }] }] })).param).toBe(
      "messages.0.content.0.text",
    );
    const e = apiError(() =>
      check({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "a" },
              { type: "image_url", image_url: { url: "data:," } },
            ],
          },
        ],
      }),
    );
    expect({ param: e.param, code: e.code }).toEqual({ param: "messages.0.content.1", code: "unsupported_content" });
    expect(e.message).toMatch(/"image_url" are not supported by this model/);
  });

  it("NaN, Infinity and __proto__ keys are rejected", () => {
    expect(apiError(() => check({ ...base, temperature: NaN })).param).toBe("temperature");
    expect(apiError(() => check({ ...base, top_p: Infinity })).param).toBe("top_p");
    const polluted = JSON.parse('{"messages":[{"role":"user","content":"x"}],"__proto__":{"admin":true}}');
    expect(apiError(() => check(polluted)).param).toBe("__proto__");
    expect(apiError(() => check({ ...base, constructor: 1 })).message).toBe(
      'Unknown field "constructor". Remove it or fix its name.',
    );
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("tool call arguments must be JSON text", () => {
    const bad = {
      ...base,
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{oops" } }] },
      ],
    };
    expect(apiError(() => check(bad)).param).toBe("messages.1.tool_calls.0.function.arguments");
  });
});
