import { describe, expect, it } from "vitest";
import { normalizeRequest, planErrors, validateRequest } from "../../../src/protocol/index.js";
import { CTX } from "./corpus.js";
import { apiError } from "../support/thrown.js";

const messages = [{ role: "user", content: "hi" }];
const tool = { type: "function", function: { name: "get_weather", parameters: { type: "object" } } };
const plan = (body: Record<string, unknown>) => normalizeRequest(validateRequest({ messages, ...body }), CTX);

const refusal = (body: Record<string, unknown>) => apiError(() => plan(body));

describe("request rules are checked in the protocol, before the engine sees a plan", () => {
  it("prompt_logprobs with stream, as in vLLM", () => {
    expect(refusal({ prompt_logprobs: 1, stream: true })).toMatchObject({
      param: "prompt_logprobs",
      code: "conflicting_parameters",
    });
    expect(plan({ prompt_logprobs: 1 }).sampling.promptLogprobs).toBe(1);
  });

  it("a forced tool call with a structured-output constraint names the constraint's field", () => {
    const e = refusal({ tools: [tool], tool_choice: "required", guided_regex: "a+" });
    expect(e).toMatchObject({ param: "guided_regex", code: "conflicting_parameters" });
    expect(e.message).toMatch(/tool_choice "required" is enforced with a grammar of its own/);
  });

  it("whitespace_pattern is refused by name from either source", () => {
    expect(refusal({ structured_outputs: { json_object: true, whitespace_pattern: "[ ]*" } })).toMatchObject({
      param: "structured_outputs.whitespace_pattern",
      code: "unsupported_parameter",
    });
    expect(refusal({ guided_json: { type: "object" }, guided_whitespace_pattern: "[ ]?" })).toMatchObject({
      param: "guided_whitespace_pattern",
      code: "unsupported_parameter",
    });
  });

  it("structural tags: both forms become typed constraints; a malformed one names the part", () => {
    const legacy = { structures: [{ begin: "<f>", schema: { type: "object" }, end: "</f>" }], triggers: ["<f"] };
    expect(plan({ structured_outputs: { structural_tag: JSON.stringify(legacy) } }).grammar).toEqual({
      kind: "constraint",
      param: "structured_outputs.structural_tag",
      constraint: { kind: "legacy_structural_tag", ...legacy },
    });
    const format = { type: "regex", pattern: "a+" };
    expect(plan({ response_format: { type: "structural_tag", format: { format } } }).grammar).toMatchObject({
      constraint: { kind: "structural_tag", format },
      param: "response_format",
    });
    // vLLM's older response_format form: structures and triggers beside type.
    expect(plan({ response_format: { type: "structural_tag", ...legacy } }).grammar).toEqual({
      kind: "constraint",
      param: "response_format",
      constraint: { kind: "legacy_structural_tag", ...legacy },
    });
    expect(
      refusal({ response_format: { type: "structural_tag", structures: [{ begin: "<f>", end: "</f>" }], triggers: ["<f"] } }),
    ).toMatchObject({ status: 400, param: "response_format.structures.0.schema" });
    expect(refusal({ response_format: { type: "structural_tag", structures: [], triggers: ["<f"] } })).toMatchObject({
      param: "response_format.structures",
    });
    expect(refusal({ response_format: { type: "structural_tag", triggers: ["<f"], format } })).toMatchObject({
      param: "response_format.format",
    });
    const bad = { structures: [{ begin: "<f>" }], triggers: ["<f"] };
    expect(refusal({ structured_outputs: { structural_tag: JSON.stringify(bad) } })).toMatchObject({
      status: 400,
      param: "structured_outputs.structural_tag.structures.0",
    });
    expect(refusal({ structured_outputs: { structural_tag: "{" } }).message).toMatch(/not JSON/);
    expect(refusal({ structured_outputs: { structural_tag: "{}" } }).message).toMatch(/needs a "format" object/);
  });

  it("chat_template_kwargs may not set what the engine gives the template", () => {
    expect(refusal({ chat_template_kwargs: { add_generation_prompt: false } })).toMatchObject({
      param: "chat_template_kwargs.add_generation_prompt",
    });
    expect(plan({ chat_template_kwargs: { enable_thinking: false } }).template.chatTemplateKwargs).toEqual({
      enable_thinking: false,
    });
  });

  it("tool_choice required or named becomes the plan's grammar, with the tools it allows", () => {
    const other = { type: "function", function: { name: "get_time" } };
    const named = plan({ tools: [tool, other], tool_choice: { type: "function", function: { name: "get_time" } } });
    expect(named.grammar).toEqual({ kind: "tool_calls", tools: [other], param: "tool_choice" });
    expect(plan({ tools: [tool, other], tool_choice: "required" }).grammar).toMatchObject({ tools: [tool, other] });
    expect(plan({ tools: [tool] }).grammar).toBeNull();
  });
});

describe("logits_processors", () => {
  it("a name the worker did not register is refused, saying where processors are registered", () => {
    const body = validateRequest({ messages, logits_processors: ["no_digits"] });
    const e = apiError(() => normalizeRequest(body, { ...CTX, logitsProcessors: [] }));
    expect(e).toMatchObject({ status: 400, param: "logits_processors.0" });
    expect(e.message).toMatch(/exposeEngine\(\{ logitsProcessors/);
    expect(e.message).not.toMatch(/createEngine\(\{ logitsProcessors/);
  });
});

describe("the plan is immutable", () => {
  it("is frozen all the way down", () => {
    const p = plan({ stop: ["x"], tools: [tool], logit_bias: { "5": 1 } });
    expect(Object.isFrozen(p) && Object.isFrozen(p.sampling) && Object.isFrozen(p.template)).toBe(true);
    expect(Object.isFrozen(p.sampling.stop) && Object.isFrozen(p.template.messages[0])).toBe(true);
    expect(Object.isFrozen(p.template.tools![0]!.function)).toBe(true);
    expect(() => {
      (p.sampling as { skipSpecialTokens: boolean }).skipSpecialTokens = false;
    }).toThrow(TypeError);
  });
});

describe("plan errors the engine raises carry the field they are about", () => {
  it("the prompt must leave room, and room for max_tokens", () => {
    expect(() => planErrors.checkPromptFits(0, null, 100)).toThrow(/empty/);
    expect(() => planErrors.checkPromptFits(100, null, 100)).toThrow(
      expect.objectContaining({ param: "messages", code: "context_length_exceeded", status: 413 }),
    );
    expect(() => planErrors.checkPromptFits(60, 50, 100)).toThrow(
      expect.objectContaining({ param: "max_tokens", message: expect.stringMatching(/at most 40/) }),
    );
    expect(() => planErrors.checkPromptFits(60, 40, 100)).not.toThrow();
  });
});
