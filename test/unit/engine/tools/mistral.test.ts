import { describe, expect, it } from "vitest";
import { mistral } from "../../../../src/engine/output/tools/mistral.js";
import { expectStreamedArguments, expectTagRoundTrip, parse, time, weather } from "./support.js";

const tools = mistral;
const list =
  '[TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}, {"name": "get_time", "arguments": {"timezone": "CET"}}]';
const v11 = '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris", "unit": "celsius"}[TOOL_CALLS]get_time[ARGS]{"timezone": "CET"}';

describe("Mistral tool calls", () => {
  it("parses the JSON list and v11's name[ARGS]{...}, with text around", () => {
    expect(parse(list, { tools })).toEqual({ content: "", reasoning: "", calls: [weather, time] });
    expect(parse(`Sure.${v11}`, { tools })).toEqual({ content: "Sure.", reasoning: "", calls: [weather, time] });
    expect(parse(`Sure. ${list} Done.`, { tools })).toEqual({ content: "Sure.  Done.", reasoning: "", calls: [weather, time] });
  });

  it("streams the arguments as they are written, in both forms", () => {
    expectStreamedArguments(list, tools);
    expectStreamedArguments(v11, tools);
  });

  it("keeps a marker that starts no call as content", () => {
    expect(parse("[TOOL_CALLS] is a marker.", { tools })).toEqual({
      content: "[TOOL_CALLS] is a marker.",
      reasoning: "",
      calls: [],
    });
    const bad = '[TOOL_CALLS][{"name": get_weather}]';
    expect(parse(bad, { tools }).content).toBe(bad);
    expect(parse("[TOOL_CALLS]get weather[ARGS]{}", { tools }).calls).toEqual([]);
  });

  it("an unclosed call keeps the arguments written so far", () => {
    expect(parse('[TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Paris"}', { tools })).toEqual({
      content: "",
      reasoning: "",
      calls: [{ name: "get_weather", arguments: '{"city":"Paris"}' }],
    });
    expect(parse('[TOOL_CALLS]get_time[ARGS]{"timezone": "C', { tools }).calls).toEqual([
      { name: "get_time", arguments: '{"timezone":"C' },
    ]);
  });

  it("parallel_tool_calls false keeps the first call only", () => {
    expect(parse(list, { tools, parallel: false }).calls).toEqual([weather]);
  });

  it("its structural tag writes calls the parser reads back", () => {
    expectTagRoundTrip(tools);
  });
});
