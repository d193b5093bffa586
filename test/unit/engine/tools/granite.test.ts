import { describe, expect, it } from "vitest";
import { granite } from "../../../../src/engine/output/tools/granite.js";
import { toolParserFor } from "../../../../src/engine/output/tools/tool-format.js";
import { TOOL_FORMATS } from "../../../../src/protocol/parser-names.js";
import { expectStreamedArguments, expectTagRoundTrip, parse, time, weather } from "./support.js";

const tools = granite;
const list =
  '<|tool_call|>[{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}, {"name": "get_time", "arguments": {"timezone": "CET"}}]';

describe("Granite tool calls", () => {
  it("is in the registry by vLLM's name and detected from a template that writes <|tool_call|>", () => {
    expect(TOOL_FORMATS).toContain("granite");
    expect(toolParserFor("granite", null)).toBe(granite);
    expect(toolParserFor(null, "{%- if m.tool_calls %}{{ '<|tool_call|>' + m.tool_calls | tojson }}{% endif %}")).toBe(granite);
  });

  it("parses one call, several, and text around them", () => {
    expect(parse('<|tool_call|>[{"name": "get_time", "arguments": {"timezone": "CET"}}]', { tools })).toEqual({
      content: "",
      reasoning: "",
      calls: [time],
    });
    expect(parse(list, { tools })).toEqual({ content: "", reasoning: "", calls: [weather, time] });
    expect(parse(`Checking.\n${list}\nDone.`, { tools })).toEqual({
      content: "Checking.\n\nDone.",
      reasoning: "",
      calls: [weather, time],
    });
  });

  it("streams the arguments as they are written", () => {
    expectStreamedArguments(list, tools);
  });

  it("keeps a marker that starts no call, or a malformed call, as content", () => {
    expect(parse("The <|tool_call|> token.", { tools })).toEqual({
      content: "The <|tool_call|> token.",
      reasoning: "",
      calls: [],
    });
    const bad = '<|tool_call|>[{"name": 42, "arguments": {}}]';
    expect(parse(bad, { tools }).content).toBe(bad);
  });

  it("an unclosed call keeps the arguments written so far", () => {
    expect(parse('<|tool_call|>[{"name": "get_weather", "arguments": {"city": "Par', { tools }).calls).toEqual([
      { name: "get_weather", arguments: '{"city":"Par' },
    ]);
  });

  it("parallel_tool_calls false keeps the first call only", () => {
    expect(parse(list, { tools, parallel: false }).calls).toEqual([weather]);
  });

  it("its structural tag writes calls the parser reads back", () => {
    expectTagRoundTrip(tools);
  });
});
