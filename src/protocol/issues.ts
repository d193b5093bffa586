import { closestName } from "./did-you-mean.js";
import type { z } from "zod";
import { ApiError } from "./errors.js";

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** Field names other APIs use for something this one spells differently. */
const HINTS = new Map<string, string>(
  Object.entries({
    functions: "use tools instead (functions is OpenAI's deprecated name).",
    function_call: "use tool_choice instead (function_call is OpenAI's deprecated name).",
    max_new_tokens: "use max_tokens or max_completion_tokens.",
    stop_sequences: "use stop.",
    repeat_penalty: "use repetition_penalty.",
  }),
); // a Map: a field named "constructor" must not find Object.prototype

const pathToParam = (path: Path): string => path.map(String).join(".");

/** The first issue of a failed parse as an actionable 400; unknown fields first, they are usually the cause. */
export function issueToApiError(issues: readonly Issue[], known: readonly string[]): ApiError {
  const first = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0]!;
  return describe(first, [], known);
}

function describe(issue: Issue, prefix: Path, known: readonly string[]): ApiError {
  const path = [...prefix, ...issue.path];
  const param = pathToParam(path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0]!;
      const at = pathToParam([...path, key]);
      const hint = path.length === 0 ? (HINTS.get(key) ?? suggestion(key, known)) : "";
      const advice = hint ? hint[0]!.toUpperCase() + hint.slice(1) : "Remove it or fix its name.";
      return ApiError.invalid(at, `Unknown field "${at}". ${advice}`, "unknown_parameter");
    }
    case "invalid_type":
      if (input === undefined)
        return ApiError.invalid(param, `Missing required field "${param}" (${issue.expected}).`, "missing_required_parameter");
      return ApiError.invalid(param, `"${param}" must be ${article(issue.expected)}, got ${typeName(input)}.`, "invalid_type");
    case "too_small":
    case "too_big":
      return ApiError.invalid(param, `"${param}" ${bound(issue)}${shown(input)}.`, "invalid_value");
    case "invalid_value":
      return ApiError.invalid(
        param,
        `"${param}" must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${shown(input)}.`,
      );
    case "invalid_format":
      return ApiError.invalid(param, `"${param}" ${issue.message}${shown(input)}.`);
    case "invalid_key":
      return describe(issue.issues[0]! as Issue, path, known);
    case "invalid_union": {
      const u = issue as Issue & { note?: string; discriminator?: string; options?: unknown[] };
      if (u.note === "No matching discriminator") {
        const opts = (u.options ?? []).map((o) => JSON.stringify(o)).join(", ");
        const got = (input as Record<string, unknown> | undefined)?.[u.discriminator ?? ""];
        return ApiError.invalid(param, `"${param}" must be one of ${opts}${shown(got)}.`);
      }
      // The branch that got furthest into the value says best what is wrong with it.
      const branches = issue.errors.filter((b) => b.length > 0);
      const deepest = branches.map((b) => b[0]!).sort((a, b) => b.path.length - a.path.length)[0];
      if (deepest && deepest.path.length > 0) return describe(deepest as Issue, path, known);
      const expected = branches.map((b) => expectedOf(b[0]! as Issue)).filter(Boolean);
      return ApiError.invalid(
        param,
        `"${param}" must be ${[...new Set(expected)].join(" or ")}, got ${typeName(input)}.`,
        "invalid_type",
      );
    }
    default:
      return ApiError.invalid(param || null, `${param ? `"${param}": ` : ""}${issue.message}.`);
  }
}

function expectedOf(i: Issue): string {
  if (i.code === "invalid_type") return article(i.expected);
  if (i.code === "invalid_value") return `one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return i.message;
}

function bound(i: Issue & { code: "too_small" | "too_big" }): string {
  const small = i.code === "too_small";
  const limit = Number(small ? (i as { minimum: number | bigint }).minimum : (i as { maximum: number | bigint }).maximum);
  const inclusive = i.inclusive !== false;
  if (i.origin === "array")
    return small ? `must have at least ${limit} item${limit === 1 ? "" : "s"}` : `must have at most ${limit} items`;
  if (i.origin === "string")
    return small
      ? limit === 1
        ? "must not be empty"
        : `must have at least ${limit} characters`
      : `must have at most ${limit} characters`;
  if (i.origin === "number" && (i as { format?: string }).format === "safeint") return `must be a safe integer (|x| <= 2^53 - 1)`;
  const op = small ? (inclusive ? ">=" : ">") : inclusive ? "<=" : "<";
  return `must be ${op} ${limit}`;
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  return article(typeof v);
}

function shown(v: unknown): string {
  if (v === undefined) return "";
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return ` (got ${s.length > 60 ? s.slice(0, 57) + "..." : s})`;
}

/** "did you mean" for a misspelled field: the closest known name within edit distance 3. */
function suggestion(key: string, known: readonly string[]): string {
  const best = closestName(key, known, 3);
  return best ? `did you mean "${best}"?` : "";
}
