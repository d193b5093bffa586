import { compactJson, jsonValueEnd, partialSuffix, tryParse } from "../json-scan.js";
import type { CallSegment, Segment } from "./tool-parser.js";

/**
 * Building blocks for ToolParser.scan. Reads return a value, "more" (the text ends before it is
 * decided: hold it back) or "no" (it is not what was expected).
 */
export type Read<T> = T | "more" | "no";

/** Append text to the segments, joined to a text segment before it (so the split never depends on chunking). */
export function pushText(out: Segment[], text: string): void {
  if (!text) return;
  const last = out.at(-1);
  if (last?.kind === "text") last.text += text;
  else out.push({ kind: "text", text });
}

/**
 * Push the text from `pos` up to the next `marker`, and return the marker's index; or -1 when there
 * is none, after pushing all but an end that may be the start of one (all of it when `final`).
 */
export function textUntil(out: Segment[], text: string, pos: number, marker: string, final: boolean): number {
  const at = text.indexOf(marker, pos);
  const upTo = at >= 0 ? at : final ? text.length : text.length - partialSuffix(text.slice(pos), marker);
  pushText(out, text.slice(pos, upTo));
  return at;
}

/** Where the text stops being readable: before `marker`, or before a possible start of it at the end. */
export function limitBefore(text: string, from: number, marker: string, final: boolean): number {
  const at = text.indexOf(marker, from);
  return at >= 0 ? at : final ? text.length : text.length - partialSuffix(text.slice(from), marker);
}

function skipSpace(text: string, pos: number, limit: number): number {
  while (pos < limit && /\s/.test(text[pos]!)) pos++;
  return pos;
}

/** `lit` after optional whitespace at `pos`: the index just past it. */
export function literal(text: string, pos: number, limit: number, lit: string): Read<number> {
  const at = skipSpace(text, pos, limit);
  const have = text.slice(at, Math.min(limit, at + lit.length));
  if (!lit.startsWith(have)) return "no";
  return have.length < lit.length ? "more" : at + lit.length;
}

/** A JSON string after optional whitespace at `pos`. */
function stringAt(text: string, pos: number, limit: number): Read<{ value: string; end: number }> {
  const at = skipSpace(text, pos, limit);
  if (at >= limit) return "more";
  if (text[at] !== '"') return "no";
  for (let i = at + 1; i < limit; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') {
      const value = tryParse(text.slice(at, i + 1));
      return typeof value === "string" ? { value, end: i + 1 } : "no";
    }
  }
  return "more";
}

/** `{"name": "<name>", "arguments" | "parameters": {`: the name and where the arguments object opens. */
function callHeader(text: string, from: number, limit: number): Read<{ name: string; argsStart: number }> {
  const steps: ((p: number) => Read<number>)[] = [];
  let name = "";
  const key = (want: string[]) => (p: number) => {
    const k = stringAt(text, p, limit);
    return typeof k === "object" ? (want.includes(k.value) ? k.end : "no") : k;
  };
  steps.push(
    (p) => literal(text, p, limit, "{"),
    key(["name"]),
    (p) => literal(text, p, limit, ":"),
    (p) => {
      const v = stringAt(text, p, limit);
      if (typeof v !== "object") return v;
      name = v.value;
      return name ? v.end : "no";
    },
    (p) => literal(text, p, limit, ","),
    key(["arguments", "parameters"]),
    (p) => literal(text, p, limit, ":"),
  );
  let pos = from;
  for (const step of steps) {
    const r = step(pos);
    if (typeof r !== "number") return r;
    pos = r;
  }
  return argsOpen(text, pos, limit, name);
}

/** The arguments object opening after optional whitespace at `pos`. */
function argsOpen(text: string, pos: number, limit: number, name: string): Read<{ name: string; argsStart: number }> {
  const at = skipSpace(text, pos, limit);
  if (at >= limit) return "more";
  return text[at] === "{" ? { name, argsStart: at } : "no";
}

/** `{"name": ..., "arguments" | "parameters": ...}` as a call with its arguments as compact JSON text, or null. */
function callOf(value: unknown): { name: string; arguments: string } | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== "string" || !v.name) return null;
  const args = v.arguments ?? v.parameters ?? {};
  if (typeof args === "string") return tryParse(args) !== undefined ? { name: v.name, arguments: args } : null;
  if (typeof args !== "object" || args === null || Array.isArray(args)) return null;
  return { name: v.name, arguments: JSON.stringify(args) };
}

/** A call read so far, and the index just past what it used (-1 while it may still go on). */
export interface CallRead {
  call: CallSegment;
  end: number;
}

/**
 * The arguments object from `argsStart` as written so far, without the whitespace between JSON
 * tokens, and once it closes the index past it. `limit` is where the call's text ends.
 */
export function argsFrom(text: string, argsStart: number, limit: number): { args: string; end: number } {
  const { json, end } = compactJson(text, argsStart, limit);
  return { args: json, end };
}

/**
 * A call object at `from` (after whitespace), read up to `limit`; `ended`: no more text comes before
 * `limit`. Written name first, it is a call as soon as its arguments object opens, and the arguments
 * stream as written. Otherwise it is judged whole once it closes (arguments then as compact JSON).
 */
export function callAt(text: string, from: number, limit: number, ended: boolean): Read<CallRead> {
  const head = callHeader(text, from, limit);
  if (typeof head === "object") {
    const a = argsFrom(text, head.argsStart, limit);
    const call: CallSegment = { kind: "call", name: head.name, args: a.args };
    if (a.end < 0) return { call, end: -1 };
    const close = literal(text, a.end, limit, "}");
    return { call, end: typeof close === "number" ? close : close === "more" && !ended ? -1 : a.end };
  }
  if (head === "more" && !ended) return "more";
  const at = skipSpace(text, from, limit);
  if (at >= limit) return ended ? "no" : "more";
  if (text[at] !== "{") return "no";
  const end = jsonValueEnd(text, from, limit);
  if (end < 0) return ended ? "no" : "more";
  const whole = callOf(tryParse(text.slice(from, end)));
  return whole ? { call: { kind: "call", name: whole.name, args: whole.arguments }, end } : "no";
}

/** The punctuation of a list of calls: `open` call (`separator` call)* `close`. */
interface ListSyntax {
  open?: string;
  separator: string;
  close?: string;
}

/**
 * Calls written one after another from `from` (Mistral's and Granite's JSON lists, Llama's
 * `;`-joined objects). `end` is the index past the list, or past the last call when something else
 * follows it (the rest is then text), or -1 while the list may still go on.
 */
export function callList(
  text: string,
  from: number,
  limit: number,
  ended: boolean,
  syntax: ListSyntax,
): Read<{ calls: CallSegment[]; end: number }> {
  let pos = from;
  if (syntax.open !== undefined) {
    const o = literal(text, pos, limit, syntax.open);
    if (typeof o !== "number") return o === "more" && !ended ? "more" : "no";
    pos = o;
  }
  const calls: CallSegment[] = [];
  let last = pos;
  for (;;) {
    const c = callAt(text, pos, limit, ended);
    if (typeof c !== "object") {
      if (!calls.length) return c;
      return { calls, end: c === "more" ? -1 : last };
    }
    calls.push(c.call);
    if (c.end < 0) return { calls, end: -1 };
    last = c.end;
    const sep = literal(text, c.end, limit, syntax.separator);
    if (typeof sep === "number") {
      pos = sep;
      continue;
    }
    const close = syntax.close === undefined ? "no" : literal(text, c.end, limit, syntax.close);
    if (typeof close === "number") return { calls, end: close };
    const open = sep === "more" || close === "more";
    return { calls, end: open && !ended ? -1 : last };
  }
}

type ListRead = Read<{ calls: CallSegment[]; end: number }>;

/**
 * A reply of text and `<marker>[call, call, ...]` runs (Mistral's and Granite's lists). `otherwise`
 * reads what follows a marker that does not open a list (Mistral v11's `name[ARGS]{...}`); a marker
 * followed by neither stays content.
 */
export function scanMarkedLists(
  text: string,
  final: boolean,
  marker: string,
  otherwise?: (text: string, body: number, final: boolean) => ListRead,
): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  for (;;) {
    const at = textUntil(out, text, pos, marker, final);
    if (at < 0) return out;
    const body = at + marker.length;
    const list = callList(text, body, text.length, final, { open: "[", separator: ",", close: "]" });
    const read = list === "no" && otherwise ? otherwise(text, body, final) : list;
    if (read === "more") return out;
    if (read === "no") {
      pushText(out, marker); // not a call after all: the marker stays content
      pos = body;
      continue;
    }
    out.push(...read.calls);
    if (read.end < 0) return out;
    pos = read.end;
  }
}
