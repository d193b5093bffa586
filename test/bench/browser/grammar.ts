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

/** Per run: mean and median ms per token of mask + apply + accept; plus the one-off compile and tokenizer-info times. */
export async function grammarCost(runs: number): Promise<{ mean: number[]; median: number[]; compileMs: number; setupMs: number; tokens: number }> {
  const base = "/models/tiny-random-qwen3/";
  const [runner, files] = await Promise.all([ReferenceRunner.load(base), loadModelFiles(base)]);
  const model = await assembleModel("tiny-random-qwen3", runner, files);
  const provider = new XGrammarProvider();
  const request = { constraint: { kind: "json_schema" as const, schema: SCHEMA, strict: true }, options: { disableAnyWhitespace: false, disableAdditionalProperties: false, whitespacePattern: null }, param: "response_format", maxSize: 1000 };
  let t0 = performance.now();
  await provider.prepare(model, { ...request, constraint: { kind: "json_object" } }); // tokenizer info, once per model
  const setupMs = performance.now() - t0;
  t0 = performance.now();
  const constraint = await provider.prepare(model, request);
  const compileMs = performance.now() - t0;
  const tokens = [...model.tokenizer.encode(OUTPUT), model.eosIds[0]!];
  const logits = new Float32Array(runner.vocabSize);
  const mean: number[] = [];
  const median: number[] = [];
  // Timers here tick in 0.1 ms: the mean comes from whole passes minus the same pass without the grammar.
  for (let r = 0; r < runs; r++) {
    const matcher = await constraint();
    const each: number[] = [];
    let t = performance.now();
    for (const id of tokens) {
      logits.fill(0);
      const s = performance.now();
      await matcher.mask(logits);
      matcher.accept(id);
      each.push(performance.now() - s);
      if (logits[id] === -Infinity) throw new Error(`the grammar refused token ${id} of a valid output`);
    }
    const withGrammar = performance.now() - t;
    matcher.dispose();
    t = performance.now();
    for (const id of tokens) {
      logits.fill(0);
      await Promise.resolve();
      if (logits[id] === -Infinity) throw new Error("unreachable");
    }
    mean.push((withGrammar - (performance.now() - t)) / tokens.length);
    median.push(each.sort((x, y) => x - y)[each.length >> 1]!);
  }
  provider.forget(model);
  model.tokenizer.dispose();
  await runner.dispose();
  return { mean, median, compileMs, setupMs, tokens: tokens.length };
}
