import { describe, expect, it } from "vitest";
import { llama3Json } from "../../../../src/engine/output/tools/llama3-json.js";
import { expectStreamedArguments, expectTagRoundTrip, parse, time, weather } from "./support.js";

const tools = llama3Json;
const call = '{"name": "get_weather", "parameters": {"city": "Paris", "unit": "celsius"}}';
const call2 = '{"name": "get_time", "parameters": {"timezone": "CET"}}';

describe("Llama 3.1 / 3.2 JSON tool calls", () => {
  it("parses the JSON reply, <|python_tag|>, calls joined by ;, and text after them", () => {
    expect(parse(call, { tools })).toEqual({ content: "", reasoning: "", calls: [weather] });
    expect(parse(`<|python_tag|>${call}; ${call2}`, { tools })).toEqual({ content: "", reasoning: "", calls: [weather, time] });
    expect(parse(` \n${call};${call2}\n`, { tools })).toEqual({ content: "", reasoning: "", calls: [weather, time] });
    expect(parse(`${call} That is all.`, { tools })).toEqual({ content: " That is all.", reasoning: "", calls: [weather] });
  });

  it("streams the arguments as they are written", () => {
    expectStreamedArguments(`<|python_tag|>${call}; ${call2}`, tools);
  });

  it("leaves prose, other JSON and malformed calls as content", () => {
    expect(parse("The weather in Paris is mild.", { tools })).toEqual({
      content: "The weather in Paris is mild.",
      reasoning: "",
      calls: [],
    });
    expect(parse('{"answer": 42}', { tools }).content).toBe('{"answer": 42}');
    const bad = '{"name": get_weather, "parameters": {"city": "Paris"}}';
    expect(parse(bad, { tools })).toEqual({ content: bad, reasoning: "", calls: [] });
    expect(parse("<|python_tag|>print(1)", { tools }).content).toBe("<|python_tag|>print(1)");
  });

  it("an unclosed call keeps the arguments written so far", () => {
    expect(parse('{"name": "get_weather", "parameters": {"city": ', { tools })).toEqual({
      content: "",
      reasoning: "",
      calls: [{ name: "get_weather", arguments: '{"city":' }],
    });
    expect(parse('{"name": "get_weather", "param', { tools }).content).toBe('{"name": "get_weather", "param');
  });

  it("parallel_tool_calls false keeps the first call only", () => {
    expect(parse(`${call}; ${call2}`, { tools, parallel: false }).calls).toEqual([weather]);
  });

  it("its structural tag writes calls the parser reads back", () => {
    expectTagRoundTrip(tools);
  });
});
