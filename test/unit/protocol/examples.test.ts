import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ApiError, chatCompletionSchema, normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { CTX } from "./corpus.js";

/**
 * The request and response examples of the API's reference pages (the project's spec), copied
 * into the repo as JSON: 000 and 001 are full vLLM-style request/response pairs, 003 a gateway's
 * response example.
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/spec-examples");
type Example = { request: Record<string, unknown>; response: Record<string, unknown> };
const example = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as Example;

/** Placeholders ("<string>", 123) replaced by valid values; literal values left as the page has them. */
function fillRequest(r: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(r) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  out.messages = [{ role: "user", content: "What is the weather in Paris?", name: "alice" }];
  out.model = "tiny-random-qwen3";
  if (out.truncate_prompt_tokens > 4096) out.truncate_prompt_tokens = 100; // 001 fills int64 fields with 2^62
  Object.assign(out, { temperature: 0.7, top_p: 0.9, top_k: 40, min_p: 0.05, repetition_penalty: 1.1, prompt_logprobs: 5 });
  out.response_format.json_schema.name = "answer";
  out.tools[0].function.name = "get_weather";
  out.logits_processors = ["no_digits"];
  out.structured_outputs = {
    ...out.structured_outputs,
    json: '{"type":"object"}',
    structural_tag: '{"format":{"type":"regex","pattern":"a+"}}',
    _backend: "xgrammar",
  };
  return out;
}

for (const file of ["000_17f979e8a312905b.json", "001_99ebdb7c821c0932.json"]) {
  describe(`spec example ${file}`, () => {
    const { request, response } = example(file);

    it("the request validates once placeholders are filled, except where its literals conflict as in vLLM", () => {
      const filled = fillRequest(request);
      // The page fills every field at once: literal stream_options with stream false, and six constraints.
      const e1 = (() => {
        try {
          validateRequest(filled);
        } catch (e) {
          return e as ApiError;
        }
      })();
      expect(e1?.param).toBe("stream_options");
      filled.stream = true;
      const caught = () => {
        try {
          validateRequest(filled);
        } catch (e) {
          return e as ApiError;
        }
      };
      expect(caught()).toMatchObject({ param: "prompt_logprobs", code: "conflicting_parameters" });
      filled.stream = false;
      delete filled.stream_options;
      const e2 = caught();
      expect(e2?.code).toBe("conflicting_parameters");
      expect(e2?.message).toMatch(
        /structured_outputs\.json and structured_outputs\.regex and structured_outputs\.choice and structured_outputs\.grammar and structured_outputs\.json_object and structured_outputs\.structural_tag/,
      );
      const so = filled.structured_outputs as Record<string, unknown>;
      for (const k of ["json", "regex", "grammar", "json_object", "structural_tag"]) delete so[k];
      // xgrammar takes no custom whitespace regex: refused by name rather than ignored.
      expect(caught()).toMatchObject({ param: "structured_outputs.whitespace_pattern", code: "unsupported_parameter" });
      delete so.whitespace_pattern;
      const n = normalizeRequest(validateRequest(filled), CTX);
      expect(n.sampling).toMatchObject({
        temperature: 0.7,
        topK: 40,
        maxTokens: 123,
        promptLogprobs: 5,
        badWords: ["<string>"],
      });
      expect(n.grammar).toEqual({
        kind: "constraint",
        constraint: { kind: "choice", choices: ["<string>"] },
        param: "structured_outputs.choice",
      });
      // tool_choice "none" keeps the tools in the prompt, as vLLM 0.32 renders them.
      expect(n.template).toMatchObject({ addGenerationPrompt: true, continueFinalMessage: false });
      expect(n.template.tools).toHaveLength(1);
      expect(n.toolChoice).toBe("none");
    });

    it("the response parses with the response schema", () => {
      const r = structuredClone(response) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      r.choices[0].message.role = "assistant";
      const parsed = chatCompletionSchema.parse(r);
      expect(parsed.choices[0]!.stop_reason).toBe(123);
      expect(parsed.usage.prompt_tokens_details?.cached_tokens).toBe(123);
    });
  });
}

it("the gateway page's response example (003) parses", () => {
  const { response } = example("003_45635f98e10ef895.json");
  const r = structuredClone(response) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  r.choices[0].message.role = "assistant";
  expect(chatCompletionSchema.parse(r).usage.completion_tokens_details?.reasoning_tokens).toBe(0);
});
