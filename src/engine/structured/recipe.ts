import { ApiError } from "../../protocol/index.js";
import type { GrammarRequest } from "./constraint.js";

/** What to hand xgrammar's compiler, as plain data (so it doubles as the cache key). */
export type GrammarRecipe =
  | { kind: "json_schema"; schema: string; anyWhitespace: boolean; indent?: number; separators?: [string, string] }
  | { kind: "ebnf"; ebnf: string }
  | { kind: "structural_tag"; tag: string }
  | { kind: "legacy_structural_tag"; items: { begin: string; schema: string; end: string }[]; triggers: string[] };

/**
 * Free whitespace between JSON tokens is capped per gap: enough for any pretty-printing, but a model
 * that drifts into whitespace (small models do) cannot spend its whole budget there.
 */
export const MAX_JSON_WHITESPACE = 32;

/** One line, vLLM's spacing, when disable_any_whitespace asks for no free whitespace. */
const COMPACT = { indent: -1, separators: [", ", ": "] as [string, string] };

/** Turn a request's constraint into compiler input; malformed inputs fail here with the field named. */
export function grammarRecipe(g: GrammarRequest): GrammarRecipe {
  const c = g.constraint;
  const ws = g.options.disableAnyWhitespace ? { anyWhitespace: false, ...COMPACT } : { anyWhitespace: true };
  if (g.options.whitespacePattern != null) {
    throw ApiError.invalid(
      "whitespace_pattern",
      "whitespace_pattern is an outlines option; the page's xgrammar backend does not take a custom whitespace regex. Drop it, or use disable_any_whitespace: true for output without free whitespace.",
      "unsupported_parameter",
    );
  }
  switch (c.kind) {
    case "json_schema":
      return { kind: "json_schema", schema: JSON.stringify(c.schema), ...ws };
    case "json_object":
      return { kind: "json_schema", schema: '{"type":"object"}', ...ws };
    case "regex":
      return {
        kind: "structural_tag",
        tag: JSON.stringify({ type: "structural_tag", format: { type: "regex", pattern: c.pattern } }),
      };
    case "choice":
      // JSON string escapes (\" \\ \n \uXXXX) are also EBNF string escapes.
      return { kind: "ebnf", ebnf: `root ::= ${c.choices.map((s) => JSON.stringify(s)).join(" | ")}` };
    case "grammar":
      return { kind: "ebnf", ebnf: c.ebnf };
    case "structural_tag":
      return structuralTag(c.tag, g.param);
  }
}

/** vLLM takes the xgrammar format ({format: ...}) and its older one ({structures, triggers}). */
function structuralTag(text: string, param: string): GrammarRecipe {
  let tag: unknown;
  try {
    tag = JSON.parse(text);
  } catch (e) {
    throw ApiError.invalid(param, `The structural tag is not JSON (${(e as Error).message}).`);
  }
  if (typeof tag !== "object" || tag === null || Array.isArray(tag))
    throw ApiError.invalid(param, "The structural tag must be a JSON object.");
  const t = tag as Record<string, unknown>;
  if (Array.isArray(t.structures)) {
    const items = t.structures.map((s: unknown, i) => {
      const item = s as { begin?: unknown; schema?: unknown; end?: unknown };
      if (
        typeof item?.begin !== "string" ||
        typeof item.end !== "string" ||
        typeof item.schema !== "object" ||
        item.schema === null
      ) {
        throw ApiError.invalid(`${param}.structures.${i}`, "Each structure needs begin and end strings and a schema object.");
      }
      return { begin: item.begin, schema: JSON.stringify(item.schema), end: item.end };
    });
    const triggers = t.triggers;
    if (!Array.isArray(triggers) || !triggers.every((x) => typeof x === "string") || !triggers.length) {
      throw ApiError.invalid(`${param}.triggers`, "A structural tag with structures needs a non-empty list of trigger strings.");
    }
    return { kind: "legacy_structural_tag", items, triggers: triggers as string[] };
  }
  if (typeof t.format !== "object" || t.format === null)
    throw ApiError.invalid(param, 'The structural tag needs a "format" object (or "structures" and "triggers").');
  return { kind: "structural_tag", tag: JSON.stringify({ type: "structural_tag", format: t.format }) };
}

/** The character class xgrammar 0.1.27 uses inside length-bounded JSON strings. */
const LOOSE_STRING_CHAR = String.raw`[^\"\\\r\n]`;

/**
 * xgrammar's length-bounded strings (maxLength, minLength) admit raw control characters, which
 * JSON forbids and JSON.parse rejects; its unbounded strings already exclude them. Tighten the former.
 */
export function strictJsonStrings(ebnf: string): string {
  return ebnf.replaceAll(LOOSE_STRING_CHAR, String.raw`[^\0-\x1f\"\\\r\n]`);
}

/** Unbounded JSON whitespace as xgrammar prints it (structural tags take no cap option, and its own cap compiles slower). */
const FREE_WHITESPACE = String.raw`[ \n\t]*`;

/** Cap every free-whitespace gap of a printed JSON grammar at MAX_JSON_WHITESPACE characters. */
export function capJsonWhitespace(ebnf: string): string {
  return ebnf.replaceAll(FREE_WHITESPACE, String.raw`[ \n\t]{0,${MAX_JSON_WHITESPACE}}`);
}

/**
 * The start rule of a grammar xgrammar printed: the last rule no other rule refers to (helpers such
 * as basic_integer may be unused too, and come first). A structural tag's grammar embeds schemas
 * that keep their own "root", so the start is then e.g. "root_1".
 */
export function startRule(ebnf: string): string {
  const rules = [...ebnf.matchAll(/^([A-Za-z_][\w]*) ::= (.*)$/gm)].map((m) => ({
    name: m[1]!,
    body: m[2]!.replace(/"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]/g, " "),
  }));
  const referenced = new Set<string>();
  for (const r of rules) for (const w of r.body.match(/[A-Za-z_]\w*/g) ?? []) if (w !== r.name) referenced.add(w);
  const starts = rules.filter((r) => !referenced.has(r.name));
  return starts.at(-1)?.name ?? "root";
}
