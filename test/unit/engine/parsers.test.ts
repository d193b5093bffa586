import { describe, expect, it } from "vitest";
import { toolParserFor } from "../../../src/engine/output/tools/tool-format.js";
import { TOOL_FORMATS } from "../../../src/protocol/parser-names.js";
import { hermes } from "../../../src/engine/output/tools/hermes.js";
import { llama3Json } from "../../../src/engine/output/tools/llama3-json.js";
import { mistral } from "../../../src/engine/output/tools/mistral.js";
import { parse, weather } from "./tools/support.js";

describe("reasoning", () => {
  it("splits <think> from the answer, keeping the blank line after it as vLLM does", () => {
    expect(parse("<think>\nThe user greets me.\n</think>\n\nHello!", { think: true })).toEqual({
      content: "\n\nHello!",
      reasoning: "\nThe user greets me.\n",
      calls: [],
    });
  });

  it("starts inside when the prompt left <think> open, and keeps text that only looks like a tag", () => {
    expect(parse("17 has no divisors.</think>Yes.", { think: true, open: true })).toEqual({
      content: "Yes.",
      reasoning: "17 has no divisors.",
      calls: [],
    });
    expect(parse("still thinking", { think: true, open: true })).toEqual({ content: "", reasoning: "still thinking", calls: [] });
    expect(parse("<thin ice>", { think: true }).content).toBe("<thin ice>");
    expect(parse("No tags here.", { think: true }).content).toBe("No tags here.");
  });

  it("parses tool calls in the answer after reasoning", () => {
    const r = parse(
      '<think>I need the weather.</think>\n\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}\n</tool_call>',
      { think: true, tools: hermes },
    );
    expect(r).toEqual({ content: "", reasoning: "I need the weather.", calls: [weather] });
  });
});

describe("tool formats", () => {
  it("names the formats as vLLM's --tool-call-parser does, and a record's tool_parser picks one", () => {
    expect(TOOL_FORMATS).toEqual(expect.arrayContaining(["hermes", "llama3_json", "mistral"]));
    expect(toolParserFor("mistral", "{{- '<tool_call>' }}")).toBe(mistral);
  });

  it("detects the family from the chat template, Hermes when it shows none", () => {
    expect(toolParserFor(null, "{{- '<tool_call>\\n' }}")).toBe(hermes);
    expect(toolParserFor(null, "{{- '[TOOL_CALLS]' }}")).toBe(mistral);
    expect(toolParserFor(null, '<|start_header_id|>ipython ... {"name": function name, "parameters": ...}')).toBe(llama3Json);
    expect(toolParserFor(null, "{{- '<|python_tag|>' + call }}")).toBe(llama3Json);
    expect(toolParserFor(null, "{{ messages }}")).toBe(hermes);
    expect(toolParserFor(null, null)).toBe(hermes);
  });
});
