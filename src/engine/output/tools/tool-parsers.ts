import { jsonValueEnd, partialSuffix, tryParse } from "../json-scan.js";
import type { ToolFormat } from "./tool-format.js";

export interface ParsedCall {
  name: string;
  /** JSON text, as OpenAI sends arguments. */
  arguments: string;
}

/** What a parser made of the tool-call region so far: whole calls, text that was no call, how much it used. */
export interface TakeResult {
  calls: ParsedCall[];
  text: string;
  consumed: number;
}

/**
 * One model family's tool-call syntax, read incrementally: content streams until start() finds a
 * call; the region from there goes to take(), which returns the calls completed so far.
 */
export interface ToolCallParser {
  /** Where tool-call text begins in the content so far, or -1. */
  start(text: string): number;
  /** Characters at the end of `text` that may be the beginning of a call (held back while streaming). */
  pending(text: string): number;
  take(region: string, final: boolean): TakeResult;
}

/** `{"name": ..., "arguments" | "parameters": ...}` as a call, or null. */
export function callOf(value: unknown): ParsedCall | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== "string" || !v.name) return null;
  const args = v.arguments ?? v.parameters ?? {};
  if (typeof args === "string") return tryParse(args) !== undefined ? { name: v.name, arguments: args } : null;
  if (typeof args !== "object" || args === null || Array.isArray(args)) return null;
  return { name: v.name, arguments: JSON.stringify(args) };
}

const OPEN = "<tool_call>";
const CLOSE = "</tool_call>";

/** Hermes / Qwen: `<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>`, each call returned as soon as it closes. */
const hermes: ToolCallParser = {
  start: (text) => text.indexOf(OPEN),
  pending: (text) => partialSuffix(text, OPEN),
  take(region, final) {
    const calls: ParsedCall[] = [];
    let text = "";
    let pos = 0;
    while (pos < region.length) {
      if (!region.startsWith(OPEN, pos)) {
        const next = region.indexOf(OPEN, pos);
        const upTo = next >= 0 ? next : final ? region.length : region.length - partialSuffix(region, OPEN);
        text += region.slice(pos, upTo);
        pos = upTo;
        if (next < 0) break;
        continue;
      }
      const close = region.indexOf(CLOSE, pos + OPEN.length);
      if (close < 0 && !final) break;
      const end = close < 0 ? region.length : close + CLOSE.length;
      const call = callOf(tryParse(region.slice(pos + OPEN.length, close < 0 ? end : close).trim()));
      if (call) calls.push(call);
      else text += region.slice(pos, end); // malformed: the model's text stays content
      pos = end;
    }
    return { calls, text, consumed: pos };
  },
};

const PYTHON_TAG = "<|python_tag|>";

/** Llama 3.1/3.2 JSON: the whole reply is `{"name": ..., "parameters": {...}}` (optionally after <|python_tag|>, several joined by ";"). */
const llama3Json: ToolCallParser = {
  start(text) {
    const at = text.length - text.trimStart().length;
    return text.startsWith(PYTHON_TAG, at) || text[at] === "{" ? at : -1;
  },
  pending(text) {
    const rest = text.trimStart();
    return rest.length && PYTHON_TAG.startsWith(rest) && rest !== PYTHON_TAG ? text.length : 0;
  },
  take(region, final) {
    if (!final) return { calls: [], text: "", consumed: 0 };
    let pos = region.startsWith(PYTHON_TAG) ? PYTHON_TAG.length : 0;
    const calls: ParsedCall[] = [];
    for (;;) {
      const end = jsonValueEnd(region, pos);
      const call = end < 0 ? null : callOf(tryParse(region.slice(pos, end)));
      if (!call) return { calls: [], text: region, consumed: region.length };
      calls.push(call);
      const sep = /^\s*;?\s*/.exec(region.slice(end))![0].length;
      pos = end + sep;
      if (pos >= region.length) return { calls, text: "", consumed: region.length };
    }
  },
};

const TOOL_CALLS = "[TOOL_CALLS]";
const ARGS = "[ARGS]";

/** Mistral: `[TOOL_CALLS][{"name": ..., "arguments": {...}}, ...]`, or v11's `[TOOL_CALLS]name[ARGS]{...}`. */
const mistral: ToolCallParser = {
  start: (text) => text.indexOf(TOOL_CALLS),
  pending: (text) => partialSuffix(text, TOOL_CALLS),
  take(region, final) {
    if (!final) return { calls: [], text: "", consumed: 0 };
    const body = region.slice(TOOL_CALLS.length);
    const calls = body.trimStart().startsWith("[") ? arrayCalls(body) : segmentCalls(body);
    return calls ? { calls, text: "", consumed: region.length } : { calls: [], text: region, consumed: region.length };
  },
};

function arrayCalls(body: string): ParsedCall[] | null {
  const end = jsonValueEnd(body, 0);
  const list = end < 0 || body.slice(end).trim() ? undefined : tryParse(body.slice(0, end));
  if (!Array.isArray(list) || !list.length) return null;
  const calls = list.map(callOf);
  return calls.every((c) => c !== null) ? (calls as ParsedCall[]) : null;
}

function segmentCalls(body: string): ParsedCall[] | null {
  const calls: ParsedCall[] = [];
  for (const seg of body.split(TOOL_CALLS)) {
    const at = seg.indexOf(ARGS);
    if (at < 0) return null;
    const args = tryParse(seg.slice(at + ARGS.length).trim());
    const call = args === undefined ? null : callOf({ name: seg.slice(0, at).trim(), arguments: args });
    if (!call) return null;
    calls.push(call);
  }
  return calls;
}

export const TOOL_PARSERS: Record<ToolFormat, ToolCallParser> = { hermes, llama3_json: llama3Json, mistral };
