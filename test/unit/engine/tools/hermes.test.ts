import { describe, expect, it } from "vitest";
import { hermes } from "../../../../src/engine/output/tools/hermes.js";
import { expectStreamedArguments, expectTagRoundTrip, parse, time, weather } from "./support.js";

const tools = hermes;
const call = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}\n</tool_call>';
const call2 = '<tool_call>\n{"name": "get_time", "arguments": {"timezone": "CET"}}\n</tool_call>';

describe("Hermes / Qwen tool calls", () => {
  it("parses a call, several calls, and text around them", () => {
    expect(parse(call, { tools })).toEqual({ content: "", reasoning: "", calls: [weather] });
    expect(parse(`${call}\n${call2}\n`, { tools })).toEqual({ content: "", reasoning: "", calls: [weather, time] });
    expect(parse(`Let me look that up.\n${call}\nOne moment.`, { tools })).toEqual({
      content: "Let me look that up.\n\nOne moment.",
      reasoning: "",
      calls: [weather],
    });
  });

  it("streams the arguments as they are written", () => {
    expectStreamedArguments(`${call}\n${call2}`, tools);
  });

  it("drops the whitespace between JSON tokens of the arguments, keeps strings as written", () => {
    const pretty = '<tool_call>\n{"name": "note", "arguments": {\n  "text": "say \\"hi\\"  twice",\n\t"n" :\t2\n}}\n</tool_call>';
    expect(parse(pretty, { tools }).calls).toEqual([{ name: "note", arguments: '{"text":"say \\"hi\\"  twice","n":2}' }]);
    expectStreamedArguments(pretty, tools);
  });

  it("keeps text that is no call as content: a malformed header, a tag in prose, a cut-off header", () => {
    const bad = '<tool_call>\n{"name": get_weather, "arguments": {"city": "Paris"}}\n</tool_call>';
    expect(parse(`${bad}Done.`, { tools })).toEqual({ content: `${bad}Done.`, reasoning: "", calls: [] });
    expect(parse("I use <tool_ and <b>tags</b>.", { tools }).content).toBe("I use <tool_ and <b>tags</b>.");
    expect(parse('<tool_call>\n{"name": "get_time", "argu', { tools }).content).toBe('<tool_call>\n{"name": "get_time", "argu');
  });

  it("a call whose name is written keeps the arguments as the model wrote them, closed or not", () => {
    // Cut off before the closing tag (max_tokens): the call as far as it went, as OpenAI does.
    expect(parse('<tool_call>\n{"name": "get_time", "arguments": {"timezone": "CET"}}', { tools }).calls).toEqual([time]);
    expect(parse('<tool_call>\n{"name": "get_time", "arguments": {"timezone": "CE', { tools }).calls).toEqual([
      { name: "get_time", arguments: '{"timezone":"CE' },
    ]);
    // Arguments broken inside: what the model wrote up to the closing tag, then the text after it.
    expect(parse('<tool_call>\n{"name": "get_time", "arguments": {"timezone": "CE}\n</tool_call>ok', { tools })).toEqual({
      content: "ok",
      reasoning: "",
      calls: [{ name: "get_time", arguments: '{"timezone":"CE}\n' }],
    });
  });

  it("reads a call written arguments first once it closes", () => {
    const swapped = '<tool_call>\n{"arguments": {"timezone": "CET"}, "name": "get_time"}\n</tool_call>';
    expect(parse(swapped, { tools }).calls).toEqual([{ name: "get_time", arguments: '{"timezone":"CET"}' }]);
  });

  it("parallel_tool_calls false keeps the first call only", () => {
    expect(parse(`${call}\n${call2}`, { tools, parallel: false })).toEqual({ content: "", reasoning: "", calls: [weather] });
  });

  it("its structural tag writes calls the parser reads back", () => {
    expectTagRoundTrip(tools);
  });
});
