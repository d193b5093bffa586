import { granite } from "./granite.js";
import { hermes } from "./hermes.js";
import { llama3Json } from "./llama3-json.js";
import { mistral } from "./mistral.js";
import type { ToolParser } from "./tool-parser.js";

/**
 * Every tool-call format the engine reads, by vLLM's --tool-call-parser name (a model record's
 * `tool_parser`). A new family is one file and one line here. Detection asks them in this order.
 */
const PARSERS = {
  hermes,
  llama3_json: llama3Json,
  mistral,
  granite,
} satisfies Record<string, ToolParser>;

export type ToolFormat = keyof typeof PARSERS;
export const TOOL_FORMATS = Object.keys(PARSERS) as ToolFormat[];

/** The record's format, else the first family whose syntax the chat template shows, else Hermes (Qwen, Hermes, many fine-tunes). */
export function toolParserFor(format: ToolFormat | null, template: string | null): ToolParser {
  if (format) return PARSERS[format];
  return (template && Object.values(PARSERS).find((p) => p.detect(template))) || hermes;
}
