import { partialSuffix } from "../json-scan.js";
import { argsFrom, limitBefore, literal, scanMarkedLists, type CallRead, type Read } from "./call-scan.js";
import { markedListTag, type ToolParser } from "./tool-parser.js";

const TOOL_CALLS = "[TOOL_CALLS]";
const ARGS = "[ARGS]";

/** Mistral: `[TOOL_CALLS][{"name": ..., "arguments": {...}}, ...]`, or v11's `[TOOL_CALLS]name[ARGS]{...}` per call. */
export const mistral: ToolParser = {
  detect: (template) => template.includes(TOOL_CALLS),
  keepSpecialTokens: true,
  structuralTag: (tools, parallel) => markedListTag(TOOL_CALLS, tools, parallel),
  scan: (text, final) => scanMarkedLists(text, final, TOOL_CALLS, namedCall),
};

/** v11's `name[ARGS]{...}`, up to the next [TOOL_CALLS]. */
function namedCall(text: string, from: number, final: boolean): Read<{ calls: CallRead["call"][]; end: number }> {
  const limit = limitBefore(text, from, TOOL_CALLS, final);
  const args = text.indexOf(ARGS, from);
  if (args < 0 || args + ARGS.length > limit) {
    const sofar = text.slice(from, limit);
    return !final && /^\s*[\w.-]*$/.test(sofar.slice(0, sofar.length - partialSuffix(sofar, ARGS))) ? "more" : "no";
  }
  const name = text.slice(from, args).trim();
  if (!/^[\w.-]+$/.test(name)) return "no";
  const open = literal(text, args + ARGS.length, limit, "{");
  if (typeof open !== "number") return open === "more" && !final ? "more" : "no";
  const a = argsFrom(text, open - 1, limit);
  return { calls: [{ kind: "call", name, args: a.args }], end: a.end };
}
