import { scanMarkedLists } from "./call-scan.js";
import { markedListTag, type ToolParser } from "./tool-parser.js";

const TOOL_CALL = "<|tool_call|>";

/** IBM Granite 3.0: `<|tool_call|>[{"name": ..., "arguments": {...}}, ...]` after any text. */
export const granite: ToolParser = {
  detect: (template) => template.includes(TOOL_CALL),
  keepSpecialTokens: true,
  structuralTag: (tools, parallel) => markedListTag(TOOL_CALL, tools, parallel),
  scan: (text, final) => scanMarkedLists(text, final, TOOL_CALL),
};
