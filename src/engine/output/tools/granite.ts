import { callList, pushText, textUntil } from "./call-scan.js";
import { callsTag, type Segment, type ToolParser } from "./tool-parser.js";

const TOOL_CALL = "<|tool_call|>";

/** IBM Granite 3.0: `<|tool_call|>[{"name": ..., "arguments": {...}}, ...]` after any text. */
export const granite: ToolParser = {
  detect: (template) => template.includes(TOOL_CALL),
  keepSpecialTokens: true,
  structuralTag: (tools, parallel) =>
    callsTag(
      {
        begin: (name) => `{"name": ${JSON.stringify(name)}, "arguments": `,
        end: "}",
        separator: ", ",
        prefix: `${TOOL_CALL}[`,
        suffix: "]",
      },
      tools,
      parallel,
    ),
  scan(text, final) {
    const out: Segment[] = [];
    let pos = 0;
    for (;;) {
      const at = textUntil(out, text, pos, TOOL_CALL, final);
      if (at < 0) return out;
      const body = at + TOOL_CALL.length;
      const list = callList(text, body, text.length, final, { open: "[", separator: ",", close: "]" });
      if (list === "more") return out;
      if (list === "no") {
        pushText(out, TOOL_CALL); // not a call after all: the marker stays content
        pos = body;
        continue;
      }
      out.push(...list.calls);
      if (list.end < 0) return out;
      pos = list.end;
    }
  },
};
