import { expect } from "vitest";
import { ChoiceOutput, type OutputDelta } from "../../../../src/engine/output/choice-output.js";
import { reasoningParserFor } from "../../../../src/engine/output/reasoning/reasoning-format.js";
import type { ToolParser } from "../../../../src/engine/output/tools/tool-parser.js";

export interface Parsed {
  content: string;
  reasoning: string;
  calls: { name: string; arguments: string }[];
}

export interface RunOptions {
  tools?: ToolParser;
  think?: boolean;
  open?: boolean;
  parallel?: boolean;
}

/**
 * Feed `text` in pieces of `size` characters, as the detokenizer would, and rebuild the reply from
 * the deltas as an OpenAI client does, checking the stream's shape on the way: a call opens with
 * id, type and name (arguments ""), and every later delta of it carries only an argument fragment.
 */
const qwen3Detected = reasoningParserFor("qwen3", null)!.parser;

export function run(text: string, o: RunOptions, size = text.length || 1): Parsed & { fragments: number[] } {
  const out = new ChoiceOutput({
    tools: o.tools ?? null,
    // Qwen3 detected from its template: <think> opened by the output, or by the prompt when `open`.
    reasoning: o.think ? qwen3Detected.splitter({ promptTail: o.open ? "<think>" : "", kwargs: {}, detected: true }) : null,
    parallel: o.parallel ?? true,
  });
  const r: Parsed & { fragments: number[] } = { content: "", reasoning: "", calls: [], fragments: [] };
  const add = (d: OutputDelta) => {
    r.content += d.content;
    r.reasoning += d.reasoning;
    for (const t of d.toolCalls) {
      if (t.index === r.calls.length) {
        expect(t).toEqual({
          index: t.index,
          id: expect.stringMatching(/^call_[A-Za-z0-9]{24}$/),
          type: "function",
          function: { name: expect.any(String), arguments: "" },
        });
        r.calls.push({ name: t.function.name!, arguments: "" });
        r.fragments.push(0);
        continue;
      }
      expect(t).toEqual({ index: t.index, function: { arguments: expect.any(String) } });
      expect(t.function.arguments).not.toBe("");
      r.calls[t.index]!.arguments += t.function.arguments;
      r.fragments[t.index]!++;
    }
  };
  for (let i = 0; i < text.length; i += size) add(out.push(text.slice(i, i + size)));
  add(out.finish());
  return r;
}

/** The reply whole, and the same fed a character at a time and in 3- and 7-character pieces: all equal. */
export function parse(text: string, o: RunOptions): Parsed {
  const strip = ({ content, reasoning, calls }: Parsed): Parsed => ({ content, reasoning, calls });
  const whole = strip(run(text, o));
  for (const size of [1, 3, 7]) expect(strip(run(text, o, size)), `in pieces of ${size}`).toEqual(whole);
  return whole;
}

/**
 * Fed a character at a time, each call's arguments arrive while they are written, not in one piece
 * when the call completes: a fragment per character (whitespace between JSON tokens is dropped).
 */
export function expectStreamedArguments(text: string, tools: ToolParser): void {
  const r = run(text, { tools }, 1);
  expect(r.calls.length).toBeGreaterThan(0);
  // A backslash waits for the character it escapes.
  r.calls.forEach((c, i) => expect(r.fragments[i], c.arguments).toBe(c.arguments.replace(/\\./g, "e").length));
}

export const weather = { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' };
export const time = { name: "get_time", arguments: '{"timezone":"CET"}' };

export const tools = [
  {
    type: "function" as const,
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" }, unit: { enum: ["celsius", "fahrenheit"] } } },
    },
  },
  {
    type: "function" as const,
    function: { name: "get_time", parameters: { type: "object", properties: { timezone: { type: "string" } } } },
  },
];

interface Tag {
  type: string;
  begin?: string;
  end?: string;
  value?: string;
  separator?: string;
  tags?: Tag[];
  elements?: Tag[];
  content?: { json_schema: unknown } | Tag;
  stop_after_first?: boolean;
  at_least_one?: boolean;
}

/**
 * What a model held to the family's structural tag writes for `calls` (each tool's begin, its
 * arguments, its end; the separator between; the list's prefix and suffix): the parser must read
 * exactly those calls back, so the grammar and the parser describe the same syntax.
 */
export function expectTagRoundTrip(parser: ToolParser): void {
  const tag = parser.structuralTag(tools, true) as { type: string; format: Tag };
  expect(tag.type).toBe("structural_tag");
  const list = tag.format.type === "tag" ? (tag.format.content as Tag) : tag.format;
  expect(list).toMatchObject({ type: "tags_with_separator", at_least_one: true, stop_after_first: false });
  expect(list.tags!.map((t) => (t.content as { json_schema: unknown }).json_schema)).toEqual(
    tools.map((t) => t.function.parameters),
  );
  const body = [weather, time]
    .map((c) => {
      const t = list.tags!.find((x) => x.begin!.includes(`"${c.name}"`))!;
      return t.begin + c.arguments + t.end;
    })
    .join(list.separator);
  const text = tag.format.type === "tag" ? tag.format.begin! + body + tag.format.end! : body;
  expect(parse(text, { tools: parser })).toEqual({ content: "", reasoning: "", calls: [weather, time] });
  expectStreamedArguments(text, parser);
  const single = parser.structuralTag(tools.slice(1), false) as { format: Tag };
  const singleList = single.format.type === "tag" ? (single.format.content as Tag) : single.format;
  expect(singleList).toMatchObject({ stop_after_first: true });
  expect(singleList.tags).toHaveLength(1);
}
