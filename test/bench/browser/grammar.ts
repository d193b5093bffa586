/**
 * Grammar cost per token in the page: xgrammar's next-token bitmask plus applying it to 151,936
 * logits, along a valid output of a nested JSON schema (the tokens a model writing it would emit).
 */
import { assembleModel, loadModelFiles } from "../../../src/engine/model.js";
import { XGrammarProvider } from "../../../src/engine/structured/xgrammar.js";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";

const SCHEMA = {
  type: "object",
  properties: {
    name: { type: "string", maxLength: 12 },
    age: { type: "integer", minimum: 0, maximum: 120 },
    role: { enum: ["admin", "editor", "viewer"] },
    address: { type: "object", properties: { city: { type: "string" }, zip: { type: "string", pattern: "^[0-9]{5}$" } }, required: ["city", "zip"] },
    tags: { type: "array", items: { type: "string" } },
  },
  required: ["name", "age", "role", "address", "tags"],
};
const OUTPUT = '{"name": "Ada Lovelace", "age": 36, "role": "admin", "address": {"city": "London", "zip": "10115"}, "tags": ["math", "engines", "poetry"]}';

/** Per run: median ms per token of mask + apply; plus the one-off compile and tokenizer-info times. */
export async function grammarCost(runs: number): Promise<{ perToken: number[]; compileMs: number; setupMs: number; tokens: number }> {
  const base = "/models/tiny-random-qwen3/";
  const [runner, files] = await Promise.all([ReferenceRunner.load(base), loadModelFiles(base)]);
  const model = await assembleModel("tiny-random-qwen3", runner, files);
  const provider = new XGrammarProvider();
  const request = { constraint: { kind: "json_schema" as const, schema: SCHEMA, strict: true }, options: { disableAnyWhitespace: false, disableAdditionalProperties: false, whitespacePattern: null }, param: "response_format" };
  let t0 = performance.now();
  await provider.prepare(model, { ...request, constraint: { kind: "json_object" } }); // tokenizer info, once per model
  const setupMs = performance.now() - t0;
  t0 = performance.now();
  const constraint = await provider.prepare(model, request);
  const compileMs = performance.now() - t0;
  const tokens = [...model.tokenizer.encode(OUTPUT), model.eosIds[0]!];
  const logits = new Float32Array(runner.vocabSize);
  const perToken: number[] = [];
  for (let r = 0; r < runs; r++) {
    const matcher = await constraint();
    const ms: number[] = [];
    for (const t of tokens) {
      logits.fill(0);
      const s = performance.now();
      await matcher.mask(logits);
      ms.push(performance.now() - s);
      if (logits[t] === -Infinity) throw new Error(`the grammar refused token ${t} of a valid output`);
      matcher.accept(t);
    }
    matcher.dispose();
    perToken.push(ms.sort((a, b) => a - b)[ms.length >> 1]!);
  }
  provider.forget(model);
  model.tokenizer.dispose();
  await runner.dispose();
  return { perToken, compileMs, setupMs, tokens: tokens.length };
}
