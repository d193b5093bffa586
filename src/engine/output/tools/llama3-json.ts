import { callList, pushText } from "./call-scan.js";
import { callsTag, type Segment, type ToolParser } from "./tool-parser.js";

const PYTHON_TAG = "<|python_tag|>";

/**
 * Llama 3.1 / 3.2 JSON: the reply is `{"name": ..., "parameters": {...}}` (after an optional
 * <|python_tag|>, several joined by ";"), or it is all content.
 */
export const llama3Json: ToolParser = {
  detect: (template) =>
    template.includes(PYTHON_TAG) || (template.includes("<|start_header_id|>") && template.includes('"parameters"')),
  keepSpecialTokens: true,
  structuralTag: (tools, parallel) =>
    callsTag({ begin: (name) => `{"name": ${JSON.stringify(name)}, "parameters": `, end: "}", separator: "; " }, tools, parallel),
  scan(text, final) {
    const out: Segment[] = [];
    const lead = text.length - text.trimStart().length;
    const rest = text.slice(lead);
    if (!final && rest.length < PYTHON_TAG.length && PYTHON_TAG.startsWith(rest)) return out; // undecided
    const from = rest.startsWith(PYTHON_TAG) ? lead + PYTHON_TAG.length : lead;
    const list = callList(text, from, text.length, final, { separator: ";" });
    if (list === "more") return out;
    if (list === "no") return (pushText(out, text), out);
    out.push(...list.calls);
    if (list.end >= 0) pushText(out, text.slice(list.end));
    return out;
  },
};
