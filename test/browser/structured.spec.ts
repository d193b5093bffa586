import Ajv from "ajv";
import type { ChatCompletionChunk } from "../../src/protocol/index.js";
import { engineCalls } from "./support/engine-calls.js";
import { expect, fileHarnessTest as test } from "./support/fixtures.js";

const messages = [{ role: "user", content: "Describe a person as JSON." }];
const { ok, streamed, fail } = engineCalls({ messages });
const text = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");

const person = {
  type: "object",
  properties: {
    name: { type: "string", maxLength: 12 },
    age: { type: "integer", minimum: 0, maximum: 120 },
    role: { enum: ["admin", "editor", "viewer"] },
    address: {
      type: "object",
      properties: { city: { type: "string", maxLength: 10 }, zip: { type: "string", pattern: "^[0-9]{5}$" } },
      required: ["city", "zip"],
      additionalProperties: false,
    },
    tags: { type: "array", items: { type: "string", maxLength: 6 }, maxItems: 3 },
  },
  required: ["name", "age", "role", "address", "tags"],
  additionalProperties: false,
};

/** JSON.parse that names the text it failed on. */
const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${(e as Error).message} in ${JSON.stringify(text)}`);
  }
};

/** vLLM's one-line JSON spacing: `{"a": 1, "b": [2, 3]}`. */
const compact = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(compact).join(", ")}]`
    : v !== null && typeof v === "object"
      ? `{${Object.entries(v)
          .map(([k, x]) => `${JSON.stringify(k)}: ${compact(x)}`)
          .join(", ")}}`
      : JSON.stringify(v);

test.describe.configure({ mode: "serial" });

test("json_schema: 20 seeds of a nested schema all parse and validate", async ({ harness }) => {
  const validate = new Ajv().compile(person);
  for (let seed = 0; seed < 20; seed++) {
    // Odd seeds through response_format with free whitespace, even ones one-line through structured_outputs.
    const body =
      seed % 2
        ? { response_format: { type: "json_schema", json_schema: { name: "person", schema: person, strict: true } } }
        : { structured_outputs: { json: person, disable_any_whitespace: true } };
    const r = await ok(harness, { seed, max_tokens: 1000, ...body });
    const c = r.choices[0]!;
    expect(c.finish_reason, c.message.content!).toBe("stop");
    const value = parse(c.message.content!);
    expect(validate(value), `${c.message.content} ${JSON.stringify(validate.errors)}`).toBe(true);
    if (seed % 2 === 0) expect(c.message.content).toBe(compact(value));
  }
});

/**
 * Random weights never choose to close an unbounded JSON string, so the json_object test steers
 * them toward short output: printable ASCII only (byte-level ids 0-93, space 220, EOS 151645) but
 * digits and "-" (ids 15-24, 12: numbers never end either), and a
 * nudge to `"`, `]` and `}` (ids 1, 60, 92). The grammar mask runs before
 * all of these, so none can make an invalid token possible: validity is still the grammar's work.
 */
const steer = {
  allowed_token_ids: [...Array.from({ length: 94 }, (_, i) => i).filter((i) => i !== 12 && (i < 15 || i > 24)), 220, 151645],
  logit_bias: { 1: 7, 60: 4, 92: 4 },
};

test("json_object: 20 seeds all parse to an object", async ({ harness }) => {
  const seen = new Set<string>();
  for (let seed = 0; seed < 20; seed++) {
    const body =
      seed % 2
        ? { response_format: { type: "json_object" } }
        : { structured_outputs: { json_object: true, disable_any_whitespace: true } };
    const c = (await ok(harness, { seed, max_tokens: 600, ...steer, ...body })).choices[0]!;
    expect(c.finish_reason, c.message.content!).toBe("stop");
    const value = parse(c.message.content!);
    expect(typeof value === "object" && value !== null && !Array.isArray(value), c.message.content!).toBe(true);
    seen.add(JSON.stringify(value));
  }
  expect(seen.size, [...seen].join("\n")).toBeGreaterThan(3);
});

test("regex and choice: every output matches; streamed and non-streamed agree", async ({ harness }) => {
  for (let seed = 0; seed < 6; seed++) {
    const regex = { seed, max_tokens: 30, structured_outputs: { regex: "[A-Z]{3}-[0-9]{4}" } };
    const r = (await ok(harness, regex)).choices[0]!;
    expect(r.message.content).toMatch(/^[A-Z]{3}-[0-9]{4}$/);
    expect(r.finish_reason).toBe("stop");
    expect(text(await streamed(harness, regex))).toBe(r.message.content);

    const choice = { seed, max_tokens: 10, guided_choice: ["red", "green", "blue"] };
    const c = (await ok(harness, choice)).choices[0]!;
    expect(["red", "green", "blue"]).toContain(c.message.content);
    expect(text(await streamed(harness, choice))).toBe(c.message.content);
  }
});

/** Recursive-descent check of the arithmetic grammar below. */
function isArithmetic(s: string): boolean {
  let i = 0;
  const num = () => {
    const m = /^[1-9][0-9]?/.exec(s.slice(i));
    if (m) i += m[0].length;
    return Boolean(m);
  };
  const op = () => /[+\-*/]/.test(s[i] ?? "") && ++i > 0;
  const term = () => (s[i] === "(" ? (i++, num() && op() && num() && s[i++] === ")") : num());
  if (!term()) return false;
  for (let k = 0; k < 2 && i < s.length; k++) if (!(op() && term())) return false;
  return i === s.length;
}

test("an EBNF grammar for arithmetic: every output is an expression; streamed agrees", async ({ harness }) => {
  // Parentheses one level deep: random weights would otherwise nest without end.
  const grammar = [
    "root ::= term (op term)? (op term)?",
    'term ::= num | "(" num op num ")"',
    "num ::= [1-9] [0-9]?",
    "op ::= [+\\-*/]",
  ].join("\n");
  for (let seed = 0; seed < 6; seed++) {
    const body = { seed, max_tokens: 300, structured_outputs: { grammar } };
    const c = (await ok(harness, body)).choices[0]!;
    expect(c.finish_reason, c.message.content!).toBe("stop");
    expect(isArithmetic(c.message.content!), c.message.content!).toBe(true);
    expect(text(await streamed(harness, body))).toBe(c.message.content);
  }
});

test("grammars that do not compile are 400s naming the field, with the compiler's reason", async ({ harness }) => {
  const ebnf = await fail(harness, { structured_outputs: { grammar: "root ::= (" } });
  expect(ebnf).toMatchObject({
    status: 400,
    type: "invalid_request_error",
    param: "structured_outputs.grammar",
    code: "invalid_grammar",
  });
  expect(ebnf.message.length).toBeGreaterThan(40);
  const schema = await fail(harness, {
    response_format: {
      type: "json_schema",
      json_schema: { name: "x", schema: { type: "object", properties: { a: { $ref: "#/nowhere" } } } },
    },
  });
  expect(schema).toMatchObject({ status: 400, param: "response_format", code: "invalid_grammar" });
  const regex = await fail(harness, { guided_regex: "([a-z" });
  expect(regex).toMatchObject({ status: 400, param: "guided_regex", code: "invalid_regex" });
  const ws = await fail(harness, { structured_outputs: { json_object: true, whitespace_pattern: "[ ]*" } });
  expect(ws).toMatchObject({ status: 400, param: "structured_outputs.whitespace_pattern", code: "unsupported_parameter" });
  // The engine is fine afterwards, and a good grammar compiles.
  expect((await ok(harness, { seed: 1, structured_outputs: { choice: ["yes", "no"] } })).choices[0]!.message.content).toMatch(
    /^(yes|no)$/,
  );
});

test("a regex that does not parse: 400 saying what is wrong (as vLLM), xgrammar never sees it, the next request answers", async ({
  harness,
}) => {
  const logged: string[] = [];
  harness.on("console", (m) => logged.push(m.text()));
  const regex = await fail(harness, { structured_outputs: { regex: "[a-" } });
  expect(regex).toMatchObject({ status: 400, param: "structured_outputs.regex", code: "invalid_regex" });
  expect(regex.message).toContain("regex parse error:\n    [a-\n    ^\nerror: unclosed character class");
  const schema = { type: "object", properties: { zip: { type: "string", pattern: "[0-9]{5" } } };
  const pattern = await fail(harness, { response_format: { type: "json_schema", json_schema: { name: "s", schema } } });
  expect(pattern).toMatchObject({ status: 400, param: "response_format", code: "invalid_regex" });
  expect(pattern.message).toMatch(/properties\.zip\.pattern[^]*error: unclosed counted repetition/);
  const r = await ok(harness, { seed: 2, max_tokens: 30, structured_outputs: { regex: "[a-z]{3}-[0-9]{2}" } });
  expect(r.choices[0]!.message.content).toMatch(/^[a-z]{3}-[0-9]{2}$/);
  expect(logged.filter((l) => /FATAL|Abort/.test(l))).toEqual([]);
});

test("grammars that would compile for too long are refused before compiling: 400 grammar_too_complex with the size and the limit", async ({
  harness,
}) => {
  const cases: [Record<string, unknown>, string][] = [
    [
      { response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "string", maxLength: 1000 } } } },
      "response_format",
    ],
    [{ structured_outputs: { regex: "[^a]{400}" } }, "structured_outputs.regex"],
    [{ structured_outputs: { grammar: "root ::= [^0-9]{0,1000}" } }, "structured_outputs.grammar"],
  ];
  for (const [body, param] of cases) {
    const e = await fail(harness, body);
    expect(e).toMatchObject({ status: 400, type: "invalid_request_error", param, code: "grammar_too_complex" });
    expect(e.message).toMatch(/size \d+ .* over limits\.maxGrammarSize = 256/);
  }
  // 500 array items: xgrammar's schema printer itself aborts (out of memory) before the size can be
  // measured; still a 400 for that field, and the engine goes on.
  const items = await fail(harness, {
    structured_outputs: { json: { type: "array", items: { type: "integer" }, maxItems: 500 } },
  });
  expect(items).toMatchObject({ status: 400, param: "structured_outputs.json", code: "invalid_grammar" });
  // A bounded string under the limit still compiles and holds.
  const r = await ok(harness, { seed: 2, max_tokens: 30, structured_outputs: { regex: "[a-z]{3,5}" } });
  expect(r.choices[0]!.message.content).toMatch(/^[a-z]{3,5}$/);
});

test("checking the picked token first (no logprobs) and masking first (logprobs) give the same constrained output, greedy and sampled without truncation", async ({
  harness,
}) => {
  const base = { max_tokens: 40, response_format: { type: "json_schema", json_schema: { name: "p", schema: person } } };
  for (const extra of [{ temperature: 0 }, { temperature: 0, repetition_penalty: 1.3, logit_bias: { "90": 5 } }]) {
    const lazy = await ok(harness, { ...base, ...extra });
    const masked = await ok(harness, { ...base, ...extra, logprobs: true });
    expect(lazy.choices[0]!.message.content).toBe(masked.choices[0]!.message.content);
  }
});
