import { callAt, limitBefore, pushText, textUntil } from "./call-scan.js";
import { callsTag, type Segment, type ToolParser } from "./tool-parser.js";

const OPEN = "<tool_call>";
const CLOSE = "</tool_call>";

/** Hermes / Qwen: `<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>`, anywhere in the reply, one after another. */
export const hermes: ToolParser = {
  detect: (template) => template.includes(OPEN),
  keepSpecialTokens: false,
  structuralTag: (tools, parallel) =>
    callsTag(
      { begin: (name) => `${OPEN}\n{"name": ${JSON.stringify(name)}, "arguments": `, end: `}\n${CLOSE}`, separator: "\n" },
      tools,
      parallel,
    ),
  scan(text, final) {
    const out: Segment[] = [];
    let pos = 0;
    for (;;) {
      const open = textUntil(out, text, pos, OPEN, final);
      if (open < 0) return out;
      const body = open + OPEN.length;
      const close = text.indexOf(CLOSE, body);
      const end = close >= 0 ? close + CLOSE.length : text.length;
      const read = callAt(text, body, limitBefore(text, body, CLOSE, final), close >= 0 || final);
      if (read === "more") return out;
      if (read === "no")
        pushText(out, text.slice(open, end)); // malformed: the model's text stays content
      else out.push(read.call);
      if (close < 0) return out;
      pos = end;
    }
  },
};
