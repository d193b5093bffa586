import { describe, expect, it } from "vitest";
import { normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { describeRegexError, regexSyntaxError } from "../../../src/protocol/regex-syntax.js";
import { CTX } from "./corpus.js";
import { apiError } from "../support/thrown.js";

const messages = [{ role: "user", content: "hi" }];
const refusal = (body: Record<string, unknown>) => apiError(() => normalizeRequest(validateRequest({ messages, ...body }), CTX));

describe("structured-output regexes are checked before xgrammar", () => {
  it("accepts the regex syntax xgrammar compiles", () => {
    for (const ok of [
      "[a-z]{3}-[0-9]{2}",
      "^\\d+$",
      "a*?b+?c??d{2,}?",
      "(?:ab|cd)+",
      "(?<year>\\d{4})",
      "[]a]",
      "[^\\]]",
      "[\\w-]+",
      "\\u{1F600}|\\u00e9|\\x41",
      "a|b|",
      "\\.\\{\\}",
      "()",
      "é{1,3}",
    ])
      expect(regexSyntaxError(ok), ok).toBeNull();
  });

  it("names what is wrong and where, in vLLM's (Rust regex-syntax) words", () => {
    const cases: [string, number, string][] = [
      ["[a-", 0, "unclosed character class"],
      ["(ab", 0, "unclosed group"],
      ["a(b(c)", 1, "unclosed group"],
      ["ab)", 2, "unopened group"],
      ["*a", 0, "repetition operator missing expression"],
      ["a**", 2, "repetition operator missing expression"],
      ["a|+", 2, "repetition operator missing expression"],
      ["a{2", 1, "unclosed counted repetition"],
      ["a{x}", 2, "repetition quantifier expects a valid decimal"],
      ["a{3,2}", 1, "invalid repetition count range, the start must be <= the end"],
      ["[z-a]", 1, "invalid character class range"],
      ["ab\\", 2, "incomplete escape sequence, reached end of pattern prematurely"],
      ["(a)\\1", 3, "backreferences are not supported"],
      ["a(?=b)", 1, "look-around, including look-ahead and look-behind, is not supported"],
      ["\\xZ1", 0, "invalid hexadecimal digit"],
    ];
    for (const [pattern, at, error] of cases) expect(regexSyntaxError(pattern), pattern).toEqual({ at, error });
  });

  it("lays the message out as vLLM does", () => {
    expect(describeRegexError("[a-", regexSyntaxError("[a-")!)).toBe(
      "regex parse error:\n    [a-\n    ^\nerror: unclosed character class",
    );
    expect(describeRegexError("ab)", regexSyntaxError("ab)")!)).toBe(
      "regex parse error:\n    ab)\n      ^\nerror: unopened group",
    );
  });

  it("a bad regex or schema pattern is a 400 on the field, before any grammar is compiled", () => {
    const e = refusal({ structured_outputs: { regex: "[a-" } });
    expect(e).toMatchObject({ status: 400, param: "structured_outputs.regex", code: "invalid_regex" });
    expect(e.message).toMatch(/error: unclosed character class/);
    expect(refusal({ guided_regex: "(a" })).toMatchObject({ param: "guided_regex" });
    const schema = { type: "object", properties: { pattern: { type: "string", pattern: "x{2" } } };
    const rf = refusal({ response_format: { type: "json_schema", json_schema: { name: "s", schema } } });
    expect(rf).toMatchObject({ status: 400, param: "response_format", code: "invalid_regex" });
    expect(rf.message).toMatch(/properties\.pattern\.pattern .*unclosed counted repetition/s);
    // A property named "pattern" is not a regex.
    const fine = { type: "object", properties: { pattern: { type: "string" } } };
    expect(() => normalizeRequest(validateRequest({ messages, structured_outputs: { json: fine } }), CTX)).not.toThrow();
  });
});
