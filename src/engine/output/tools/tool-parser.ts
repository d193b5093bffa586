import type { Tool } from "../../../protocol/index.js";

/** A piece of a reply: text that stays content, or a tool call as far as it is written. */
export type Segment = { kind: "text"; text: string } | CallSegment;

export interface CallSegment {
  kind: "call";
  name: string;
  /** JSON text of the arguments, as the model wrote them so far. */
  args: string;
}

/**
 * One model family's tool-call format (vLLM's ToolParser), all in one place: how its templates show
 * it, how its calls are read, and the grammar that forces them. The registry (tool-format.ts) names them.
 */
export interface ToolParser {
  /** Whether a chat template writes calls this way (the registry asks each family in turn). */
  detect(template: string): boolean;
  /** The call markers are special tokens, which the decoded text must keep to be parsed. */
  keepSpecialTokens: boolean;
  /** xgrammar structural tag admitting only calls of `tools` in this syntax (tool_choice "required" or named). */
  structuralTag(tools: readonly Tool[], parallel: boolean): Record<string, unknown>;
  /**
   * The reply so far as text and calls. Pure and monotone: for a longer text, or the same text
   * `final`, the result only extends the previous one (its last segment grows, more follow), so
   * text that may still become part of a call is left out until it is decided.
   */
  scan(text: string, final: boolean): Segment[];
}

/** How a family writes one call, and several in a row. */
interface CallSyntax {
  begin(name: string): string;
  end: string;
  separator: string;
  /** Around the whole list of calls (Mistral's `[TOOL_CALLS][ ... ]`). */
  prefix?: string;
  suffix?: string;
}

/** `<marker>[{"name": ..., "arguments": {...}}, ...]` (Mistral, Granite): the structural tag for that list. */
export function markedListTag(marker: string, tools: readonly Tool[], parallel: boolean): Record<string, unknown> {
  const syntax = {
    begin: (name: string) => `{"name": ${JSON.stringify(name)}, "arguments": `,
    end: "}",
    separator: ", ",
    prefix: `${marker}[`,
    suffix: "]",
  };
  return callsTag(syntax, tools, parallel);
}

/** Structural tag for `syntax`: at least one call, each tool's arguments valid against its JSON schema. */
export function callsTag(syntax: CallSyntax, tools: readonly Tool[], parallel: boolean): Record<string, unknown> {
  const calls = {
    type: "tags_with_separator",
    tags: tools.map((t) => ({
      type: "tag",
      begin: syntax.begin(t.function.name),
      content: { type: "json_schema", json_schema: t.function.parameters ?? { type: "object" } },
      end: syntax.end,
    })),
    separator: syntax.separator,
    at_least_one: true,
    stop_after_first: !parallel,
  };
  // The list as the content of one tag: xgrammar 0.1.27 does not compile tags_with_separator inside a sequence.
  const format =
    syntax.prefix !== undefined ? { type: "tag", begin: syntax.prefix, content: calls, end: syntax.suffix ?? "" } : calls;
  return { type: "structural_tag", format };
}
