import { granite } from "./granite.js";
import { hermes } from "./hermes.js";
import { llama3Json } from "./llama3-json.js";
import { mistral } from "./mistral.js";
import type { ToolFormat } from "../../../protocol/parser-names.js";
import type { ToolParser } from "./tool-parser.js";

/**
 * Every tool-call format the engine reads, by vLLM's --tool-call-parser name (a model record's
 * `tool_parser`; the names are in protocol/parser-names.ts). A new family is one file, one line here
 * and its name there. Detection asks them in this order.
 */
const PARSERS = {
  hermes,
  llama3_json: llama3Json,
  mistral,
  granite,
} satisfies Record<ToolFormat, ToolParser>;

/** The record's format, else the first family whose syntax the chat template shows, else Hermes (Qwen, Hermes, many fine-tunes). */
export function toolParserFor(format: ToolFormat | null, template: string | null): ToolParser {
  if (format) return PARSERS[format];
  return (template && Object.values(PARSERS).find((p) => p.detect(template))) || hermes;
}
