import { describe, expect, it } from "vitest";
import { ChoiceOutput, type OutputDelta } from "../../../src/engine/output/choice-output.js";
import { ReasoningSplitter, endsInsideThink } from "../../../src/engine/output/reasoning.js";
import { detectToolFormat, toolCallTag, type ToolFormat } from "../../../src/engine/output/tools/tool-format.js";
import { TOOL_PARSERS } from "../../../src/engine/output/tools/tool-parsers.js";

interface Parsed {
  content: string;
  reasoning: string;
  calls: { name: string; arguments: string }[];
}

/** Feed `text` in pieces of `size` characters, as the detokenizer would, and collect the result. */
function run(
  text: string,
  o: { format?: ToolFormat; think?: boolean; open?: boolean; parallel?: boolean },
  size = text.length || 1,
): Parsed {
  const out = new ChoiceOutput({
    tools: o.format ? TOOL_PARSERS[o.format] : null,
    reasoning: o.think ? new ReasoningSplitter(o.open ?? false) : null,
    parallel: o.parallel ?? true,
  });
  const r: Parsed = { content: "", reasoning: "", calls: [] };
  const add = (d: OutputDelta) => {
    r.content += d.content;
    r.reasoning += d.reasoning;
    for (const t of d.toolCalls) {
      if (t.id) {
        expect(t.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
        expect(t.index).toBe(r.calls.length);
        r.calls.push({ name: t.function.name!, arguments: "" });
      }
      r.calls[t.index]!.arguments += t.function.arguments ?? "";
    }
  };
  for (let i = 0; i < text.length; i += size) add(out.push(text.slice(i, i + size)));
  add(out.finish());
  return r;
}

/** The same result whole, a character at a time and in 3- and 7-character pieces. */
function parse(text: string, o: Parameters<typeof run>[1]): Parsed {
  const whole = run(text, o);
  for (const size of [1, 3, 7]) expect(run(text, o, size)).toEqual(whole);
  return whole;
}

const weather = { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' };
const time = { name: "get_time", arguments: '{"timezone":"CET"}' };

describe("Hermes / Qwen tool calls", () => {
  const call = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}\n</tool_call>';
  const call2 = '<tool_call>\n{"name": "get_time", "arguments": {"timezone": "CET"}}\n</tool_call>';

  it("parses a call, several calls, and text around them", () => {
    expect(parse(call, { format: "hermes" })).toEqual({ content: "", reasoning: "", calls: [weather] });
    expect(parse(`${call}\n${call2}`, { format: "hermes" }).calls).toEqual([weather, time]);
    const around = parse(`Let me look that up.\n${call}\nOne moment.`, { format: "hermes" });
    expect(around.calls).toEqual([weather]);
    expect(around.content).toBe("Let me look that up.\n\nOne moment.");
  });

  it("keeps malformed or unclosed calls as content, and plain replies untouched", () => {
    const bad = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Par}\n</tool_call>';
    expect(parse(bad, { format: "hermes" })).toEqual({ content: bad, reasoning: "", calls: [] });
    expect(parse("I use <tool_ and <b>tags</b>.", { format: "hermes" }).content).toBe("I use <tool_ and <b>tags</b>.");
    // Cut off before the closing tag but with whole JSON: still a call (the model was stopped there).
    expect(parse('<tool_call>\n{"name": "get_time", "arguments": {"timezone": "CET"}}', { format: "hermes" }).calls).toEqual([
      time,
    ]);
    expect(parse('<tool_call>\n{"name": "get_time", "argu', { format: "hermes" }).content).toBe(
      '<tool_call>\n{"name": "get_time", "argu',
    );
  });

  it("parallel_tool_calls false keeps the first call only", () => {
    expect(parse(`${call}\n${call2}`, { format: "hermes", parallel: false }).calls).toEqual([weather]);
  });
});

describe("Llama 3.1 / 3.2 JSON tool calls", () => {
  it("parses the JSON reply, <|python_tag|>, and calls joined by ;", () => {
    expect(
      parse('{"name": "get_weather", "parameters": {"city": "Paris", "unit": "celsius"}}', { format: "llama3_json" }).calls,
    ).toEqual([weather]);
    const two = parse(
      '<|python_tag|>{"name": "get_weather", "parameters": {"city": "Paris", "unit": "celsius"}}; {"name": "get_time", "parameters": {"timezone": "CET"}}',
      { format: "llama3_json" },
    );
    expect(two).toEqual({ content: "", reasoning: "", calls: [weather, time] });
  });

  it("leaves prose and malformed JSON as content", () => {
    expect(parse("The weather in Paris is mild.", { format: "llama3_json" })).toEqual({
      content: "The weather in Paris is mild.",
      reasoning: "",
      calls: [],
    });
    const bad = '{"name": "get_weather", "parameters": {"city": ';
    expect(parse(bad, { format: "llama3_json" })).toEqual({ content: bad, reasoning: "", calls: [] });
    expect(parse('{"answer": 42}', { format: "llama3_json" }).content).toBe('{"answer": 42}');
  });
});

describe("Mistral tool calls", () => {
  it("parses the JSON list and v11's name[ARGS]{...}, after any text", () => {
    const list =
      '[TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}, {"name": "get_time", "arguments": {"timezone": "CET"}}]';
    expect(parse(list, { format: "mistral" }).calls).toEqual([weather, time]);
    const v11 = parse(
      'Sure.[TOOL_CALLS]get_weather[ARGS]{"city": "Paris", "unit": "celsius"}[TOOL_CALLS]get_time[ARGS]{"timezone": "CET"}',
      { format: "mistral" },
    );
    expect(v11).toEqual({ content: "Sure.", reasoning: "", calls: [weather, time] });
  });

  it("keeps malformed calls as content", () => {
    const bad = '[TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Paris"}';
    expect(parse(bad, { format: "mistral" }).content).toBe(bad);
    expect(parse("[TOOL_CALLS]get_weather[ARGS]{oops", { format: "mistral" }).calls).toEqual([]);
  });
});

describe("reasoning", () => {
  it("splits <think> from the answer, dropping the blank line after it", () => {
    expect(parse("<think>\nThe user greets me.\n</think>\n\nHello!", { think: true })).toEqual({
      content: "Hello!",
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
    expect(endsInsideThink("<|im_start|>assistant\n<think>Let me")).toBe(true);
    expect(endsInsideThink("<|im_start|>assistant\n<think>\n\n</think>\n\n")).toBe(false);
  });

  it("parses tool calls in the answer after reasoning", () => {
    const r = parse(
      '<think>I need the weather.</think>\n\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}\n</tool_call>',
      { think: true, format: "hermes" },
    );
    expect(r).toEqual({ content: "", reasoning: "I need the weather.", calls: [weather] });
  });
});

describe("tool formats", () => {
  it("detects the family from the chat template", () => {
    expect(detectToolFormat("{{- '<tool_call>\\n' }}")).toBe("hermes");
    expect(detectToolFormat("{{- '[TOOL_CALLS]' }}")).toBe("mistral");
    expect(detectToolFormat('<|start_header_id|>ipython ... {"name": function name, "parameters": ...}')).toBe("llama3_json");
    expect(detectToolFormat(null)).toBe("hermes");
  });

  it("builds a structural tag that admits only the offered tools, each with its schema", () => {
    const tools = [
      {
        type: "function" as const,
        function: { name: "get_time", parameters: { type: "object", properties: { timezone: { type: "string" } } } },
      },
    ];
    const tag = toolCallTag("hermes", tools, false) as {
      format: { tags: { begin: string; content: unknown; end: string }[]; stop_after_first: boolean; at_least_one: boolean };
    };
    expect(tag.format.tags).toEqual([
      {
        type: "tag",
        begin: '<tool_call>\n{"name": "get_time", "arguments": ',
        content: { type: "json_schema", json_schema: tools[0]!.function.parameters },
        end: "}\n</tool_call>",
      },
    ]);
    expect(tag.format).toMatchObject({ at_least_one: true, stop_after_first: true });
    const mistral = toolCallTag("mistral", tools, true) as { format: { type: string; elements: { value?: string }[] } };
    expect(mistral.format.type).toBe("sequence");
    expect(mistral.format.elements[0]!.value).toBe("[TOOL_CALLS][");
  });
});
