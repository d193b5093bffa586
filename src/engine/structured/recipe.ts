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
const MAX_JSON_WHITESPACE = 32;

/** One line, vLLM's spacing, when disable_any_whitespace asks for no free whitespace. */
const COMPACT = { indent: -1, separators: [", ", ": "] as [string, string] };

/** Turn a plan's constraint (already checked in src/protocol/) into compiler input. */
export function grammarRecipe(g: GrammarRequest): GrammarRecipe {
  const c = g.constraint;
  const ws = g.options.disableAnyWhitespace ? { anyWhitespace: false, ...COMPACT } : { anyWhitespace: true };
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
      return { kind: "structural_tag", tag: JSON.stringify({ type: "structural_tag", format: c.format }) };
    case "legacy_structural_tag":
      return {
        kind: "legacy_structural_tag",
        items: c.structures.map((s) => ({ begin: s.begin, schema: JSON.stringify(s.schema), end: s.end })),
        triggers: [...c.triggers],
      };
  }
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
