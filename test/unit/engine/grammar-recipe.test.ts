import { describe, expect, it } from "vitest";
import { capJsonWhitespace, grammarRecipe, startRule, strictJsonStrings } from "../../../src/engine/structured/recipe.js";
import type { GrammarRequest } from "../../../src/engine/structured/constraint.js";

const options: GrammarRequest["options"] = {
  disableAnyWhitespace: false,
  disableAdditionalProperties: false,
};
const req = (constraint: GrammarRequest["constraint"], o: Partial<typeof options> = {}): GrammarRequest => ({
  constraint,
  options: { ...options, ...o },
  param: "structured_outputs",
  maxSize: 160,
});

describe("grammar recipes", () => {
  it("turns choices into an EBNF alternation with escaped strings", () => {
    expect(grammarRecipe(req({ kind: "choice", choices: ['say "hi"', "a\\b", "two\nlines"] }))).toEqual({
      kind: "ebnf",
      ebnf: 'root ::= "say \\"hi\\"" | "a\\\\b" | "two\\nlines"',
    });
  });

  it("compiles JSON with capped free whitespace, or none (vLLM's compact spacing)", () => {
    expect(grammarRecipe(req({ kind: "json_object" }))).toEqual({
      kind: "json_schema",
      schema: '{"type":"object"}',
      anyWhitespace: true,
    });
    expect(
      grammarRecipe(req({ kind: "json_schema", schema: { type: "integer" }, strict: true }, { disableAnyWhitespace: true })),
    ).toEqual({ kind: "json_schema", schema: '{"type":"integer"}', anyWhitespace: false, indent: -1, separators: [", ", ": "] });
  });

  it("turns both structural tag forms into compiler input", () => {
    const legacy = grammarRecipe(
      req({
        kind: "legacy_structural_tag",
        structures: [{ begin: "<f>", schema: { type: "object" }, end: "</f>" }],
        triggers: ["<f"],
      }),
    );
    expect(legacy).toEqual({
      kind: "legacy_structural_tag",
      items: [{ begin: "<f>", schema: '{"type":"object"}', end: "</f>" }],
      triggers: ["<f"],
    });
    expect(grammarRecipe(req({ kind: "structural_tag", format: { type: "regex", pattern: "a+" } }))).toEqual({
      kind: "structural_tag",
      tag: '{"type":"structural_tag","format":{"type":"regex","pattern":"a+"}}',
    });
  });
});

describe("xgrammar EBNF fixes", () => {
  it("keeps raw control characters out of length-bounded strings", () => {
    expect(strictJsonStrings(String.raw`string_1 ::= ("" | ([^\"\\\r\n] string_2))`)).toBe(
      String.raw`string_1 ::= ("" | ([^\0-\x1f\"\\\r\n] string_2))`,
    );
  });

  it("caps free whitespace inside structural tags", () => {
    expect(capJsonWhitespace(String.raw`root ::= (("{" [ \n\t]* "}"))`)).toBe(String.raw`root ::= (("{" [ \n\t]{0,32} "}"))`);
  });

  it("finds the start rule when an embedded schema keeps its own root", () => {
    const g = [
      'basic_integer ::= (("0"))',
      'root ::= (("{" [ \\n\\t]* "}"))',
      'tag ::= (("<f>" root "</f>"))',
      "root_1 ::= ((tag))",
    ].join("\n");
    expect(startRule(g)).toBe("root_1");
    expect(startRule('root ::= "a" | b\nb ::= "root"')).toBe("root");
  });
});
