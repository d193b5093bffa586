import type { Tool } from "../../../protocol/index.js";

/** The tool-call syntaxes the engine parses, named as vLLM's --tool-call-parser names them. */
export type ToolFormat = "hermes" | "llama3_json" | "mistral";
export const TOOL_FORMATS: readonly ToolFormat[] = ["hermes", "llama3_json", "mistral"];

/** How a family writes one call, and several in a row. */
interface CallSyntax {
  begin(name: string): string;
  end: string;
  separator: string;
  /** Around the whole list of calls (Mistral's `[TOOL_CALLS][ ... ]`). */
  prefix?: string;
  suffix?: string;
  /** Whether the markers are special tokens that skip_special_tokens would drop from the text. */
  specialMarkers: boolean;
}

const SYNTAX: Record<ToolFormat, CallSyntax> = {
  hermes: {
    begin: (n) => `<tool_call>\n{"name": ${JSON.stringify(n)}, "arguments": `,
    end: "}\n</tool_call>",
    separator: "\n",
    specialMarkers: false,
  },
  llama3_json: { begin: (n) => `{"name": ${JSON.stringify(n)}, "parameters": `, end: "}", separator: "; ", specialMarkers: true },
  mistral: {
    begin: (n) => `{"name": ${JSON.stringify(n)}, "arguments": `,
    end: "}",
    separator: ", ",
    prefix: "[TOOL_CALLS][",
    suffix: "]",
    specialMarkers: true,
  },
};

/** The family a chat template writes tool calls in; Hermes (Qwen, Hermes, many fine-tunes) otherwise. */
export function detectToolFormat(template: string | null): ToolFormat {
  if (!template) return "hermes";
  if (template.includes("<tool_call>")) return "hermes";
  if (template.includes("[TOOL_CALLS]")) return "mistral";
  if (template.includes("<|python_tag|>") || (template.includes("<|start_header_id|>") && template.includes('"parameters"')))
    return "llama3_json";
  return "hermes";
}

/** Whether parsing this family needs special tokens kept in the decoded text. */
export function needsSpecialTokens(format: ToolFormat): boolean {
  return SYNTAX[format].specialMarkers;
}

/**
 * xgrammar structural tag that only admits calls of `tools` in the model's own syntax, arguments
 * valid against each tool's JSON schema: what tool_choice "required" and a named tool_choice enforce.
 */
export function toolCallTag(format: ToolFormat, tools: readonly Tool[], parallel: boolean): Record<string, unknown> {
  const s = SYNTAX[format];
  const calls = {
    type: "tags_with_separator",
    tags: tools.map((t) => ({
      type: "tag",
      begin: s.begin(t.function.name),
      content: { type: "json_schema", json_schema: t.function.parameters ?? { type: "object" } },
      end: s.end,
    })),
    separator: s.separator,
    at_least_one: true,
    stop_after_first: !parallel,
  };
  const format_ = s.prefix
    ? {
        type: "sequence",
        elements: [{ type: "const_string", value: s.prefix }, calls, { type: "const_string", value: s.suffix ?? "" }],
      }
    : calls;
  return { type: "structural_tag", format: format_ };
}
