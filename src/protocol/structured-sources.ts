import { ApiError } from "./errors.js";
import { describeRegexError, regexSyntaxError } from "./regex-syntax.js";
import type { ParsedRequest } from "./request.js";
import type { ResponseFormat, StructuredConstraint, StructuredOptions } from "./structured.js";

/** A constraint and the request field it came from (errors name it). */
export interface StructuredSource {
  param: string;
  constraint: StructuredConstraint;
}

/**
 * Every place a request can ask for constrained decoding, reduced to one constraint. Two at once
 * (say guided_regex and response_format json_schema) are an error, as in vLLM.
 */
export function structuredSources(req: ParsedRequest): { source: StructuredSource | null; options: StructuredOptions } {
  const found: StructuredSource[] = [];
  const add = (param: string, constraint: StructuredConstraint) => found.push({ param, constraint });
  const so = req.structured_outputs;
  if (so) {
    if (so.json != null) add("structured_outputs.json", jsonConstraint(so.json, "structured_outputs.json", true));
    if (so.regex != null) add("structured_outputs.regex", { kind: "regex", pattern: so.regex });
    if (so.choice != null) add("structured_outputs.choice", { kind: "choice", choices: so.choice });
    if (so.grammar != null) add("structured_outputs.grammar", { kind: "grammar", ebnf: so.grammar });
    if (so.json_object) add("structured_outputs.json_object", { kind: "json_object" });
    if (so.structural_tag != null)
      add(
        "structured_outputs.structural_tag",
        structuralTag(parseTagText(so.structural_tag, "structured_outputs.structural_tag"), "structured_outputs.structural_tag"),
      );
    if (so._backend != null && !["xgrammar", "auto"].includes(so._backend)) {
      throw ApiError.invalid(
        "structured_outputs._backend",
        `structured output backend "${so._backend}" is not available in the page; the engine uses xgrammar ("xgrammar" or "auto").`,
        "unsupported_parameter",
      );
    }
  }
  if (req.guided_json != null) add("guided_json", jsonConstraint(req.guided_json, "guided_json", true));
  if (req.guided_regex != null) add("guided_regex", { kind: "regex", pattern: req.guided_regex });
  if (req.guided_choice != null) add("guided_choice", { kind: "choice", choices: req.guided_choice });
  if (req.guided_grammar != null) add("guided_grammar", { kind: "grammar", ebnf: req.guided_grammar });
  if (req.guided_decoding_backend != null && !["xgrammar", "auto"].includes(req.guided_decoding_backend)) {
    throw ApiError.invalid(
      "guided_decoding_backend",
      `guided_decoding_backend "${req.guided_decoding_backend}" is not available in the page; the engine uses xgrammar ("xgrammar" or "auto").`,
      "unsupported_parameter",
    );
  }
  const rf = req.response_format;
  if (rf?.type === "json_object") add("response_format", { kind: "json_object" });
  if (rf?.type === "json_schema" && rf.json_schema) {
    add("response_format", { kind: "json_schema", schema: rf.json_schema.schema ?? {}, strict: rf.json_schema.strict ?? false });
  }
  if (rf?.type === "structural_tag") add("response_format", responseFormatTag(rf));
  for (const f of found) checkPatterns(f);
  if (found.length > 1) {
    throw ApiError.invalid(
      found[1]!.param,
      `Only one structured-output constraint is allowed per request, got ${found.map((f) => f.param).join(" and ")}. Keep one.`,
      "conflicting_parameters",
    );
  }
  // xgrammar cannot take a custom whitespace regex (an outlines option): refused by name, never ignored.
  const ws =
    so?.whitespace_pattern != null
      ? "structured_outputs.whitespace_pattern"
      : req.guided_whitespace_pattern != null
        ? "guided_whitespace_pattern"
        : null;
  if (ws) {
    throw ApiError.invalid(
      ws,
      `${ws} is an outlines option; the page's xgrammar backend does not take a custom whitespace regex. Drop it, or use disable_any_whitespace: true for output without free whitespace.`,
      "unsupported_parameter",
    );
  }
  return {
    source: found[0] ?? null,
    options: {
      disableAnyWhitespace: so?.disable_any_whitespace ?? false,
      disableAdditionalProperties: so?.disable_additional_properties ?? false,
    },
  };
}

/** response_format's structural tag: the xgrammar form under `format`, or vLLM's older `structures` and `triggers`. */
function responseFormatTag(rf: ResponseFormat): StructuredConstraint {
  const legacy = rf.structures !== undefined || rf.triggers !== undefined;
  if (legacy && rf.format)
    throw ApiError.invalid(
      "response_format.format",
      'A structural_tag response_format takes either "format" or "structures" and "triggers", not both.',
      "conflicting_parameters",
    );
  if (legacy) return structuralTag({ structures: rf.structures, triggers: rf.triggers }, "response_format");
  if (!rf.format)
    throw ApiError.invalid(
      "response_format.format",
      'response_format of type "structural_tag" needs a format object (or "structures" and "triggers").',
      "missing_required_parameter",
    );
  return structuralTag(rf.format, "response_format.format");
}

/**
 * Regexes are checked here, not by xgrammar: its wasm aborts on a bad one with no message to read
 * (and prints to the console), where vLLM answers a 400 saying what is wrong.
 */
function checkPatterns(f: StructuredSource): void {
  const c = f.constraint;
  if (c.kind === "regex") checkRegex(c.pattern, f.param, "");
  if (c.kind === "json_schema") for (const [path, p] of schemaPatterns(c.schema, "")) checkRegex(p, f.param, path);
  if (c.kind === "legacy_structural_tag")
    c.structures.forEach((s, i) => {
      for (const [path, p] of schemaPatterns(s.schema, `structures.${i}.schema`)) checkRegex(p, f.param, path);
    });
}

function checkRegex(pattern: string, param: string, path: string): void {
  const e = regexSyntaxError(pattern);
  if (!e) return;
  const where = path ? `The "pattern" at ${path} of the schema in ${param}` : `The regex in ${param}`;
  throw ApiError.invalid(param, `${where} does not parse: ${describeRegexError(pattern, e)}`, "invalid_regex");
}

/** Every `pattern` string of a JSON schema, with its path. */
function schemaPatterns(node: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) node.forEach((x, i) => schemaPatterns(x, `${path}.${i}`, out));
  else if (typeof node === "object" && node !== null)
    for (const [k, v] of Object.entries(node)) {
      const at = path ? `${path}.${k}` : k;
      // Under "properties" a key named "pattern" is a property, not a keyword.
      if (k === "pattern" && typeof v === "string" && !path.endsWith("properties")) out.push([at, v]);
      else schemaPatterns(v, at, out);
    }
  return out;
}

function parseTagText(text: string, param: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw ApiError.invalid(param, `The structural tag is not JSON (${(e as Error).message}).`);
  }
}

/** vLLM takes the xgrammar format ({format: ...}) and its older one ({structures, triggers}). */
function structuralTag(tag: unknown, param: string): StructuredConstraint {
  if (typeof tag !== "object" || tag === null || Array.isArray(tag))
    throw ApiError.invalid(param, "The structural tag must be a JSON object.");
  const t = tag as Record<string, unknown>;
  if (t.structures !== undefined || t.triggers !== undefined) {
    if (!Array.isArray(t.structures) || !t.structures.length)
      throw ApiError.invalid(`${param}.structures`, "A structural tag with triggers needs a non-empty list of structures.");
    const structures = t.structures.map((s: unknown, i) => {
      const item = s as { begin?: unknown; schema?: unknown; end?: unknown };
      if (
        typeof item?.begin !== "string" ||
        typeof item.end !== "string" ||
        typeof item.schema !== "object" ||
        item.schema === null
      ) {
        throw ApiError.invalid(`${param}.structures.${i}`, "Each structure needs begin and end strings and a schema object.");
      }
      return { begin: item.begin, schema: item.schema as Record<string, unknown>, end: item.end };
    });
    const triggers = t.triggers;
    if (!Array.isArray(triggers) || !triggers.every((x) => typeof x === "string") || !triggers.length) {
      throw ApiError.invalid(`${param}.triggers`, "A structural tag with structures needs a non-empty list of trigger strings.");
    }
    return { kind: "legacy_structural_tag", structures, triggers: triggers as string[] };
  }
  if (typeof t.format !== "object" || t.format === null)
    throw ApiError.invalid(param, 'The structural tag needs a "format" object (or "structures" and "triggers").');
  return { kind: "structural_tag", format: t.format as Record<string, unknown> };
}

function jsonConstraint(json: string | Record<string, unknown>, param: string, strict: boolean): StructuredConstraint {
  if (typeof json !== "string") return { kind: "json_schema", schema: json, strict };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw ApiError.invalid(
      param,
      `${param} is a string that is not valid JSON (${(e as Error).message}); pass the JSON schema as an object or as JSON text.`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw ApiError.invalid(param, `${param} must be a JSON schema object.`);
  }
  return { kind: "json_schema", schema: parsed as Record<string, unknown>, strict };
}
