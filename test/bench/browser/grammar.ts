/**
 * Grammar cost per token in the page, along a valid output of a nested JSON schema (the tokens a
 * model writing it would emit), over 151,936 logits: (1) the engine's pick (lazyPick, greedy) for a
 * model whose top token is that output's next token, minus the same argmax without a grammar; (2)
 * xgrammar's bitmask + apply + accept at every token, the path of a model fighting the grammar and of
 * requests with logprobs / top-p / top-k / min-p.
 */
import { assembleModel } from "../../../src/engine/model.js";
import { loadModelFiles } from "../../../src/models/files.js";
import { lazyPick } from "../../../src/engine/structured/lazy-pick.js";
import { XGrammarProvider } from "../../../src/engine/structured/xgrammar.js";
import { argmax } from "../../../src/engine/sampling/select.js";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";

const SCHEMA = {
  type: "object",
  properties: {
    name: { type: "string", maxLength: 12 },
    age: { type: "integer", minimum: 0, maximum: 120 },
    role: { enum: ["admin", "editor", "viewer"] },
    address: {
      type: "object",
      properties: { city: { type: "string" }, zip: { type: "string", pattern: "^[0-9]{5}$" } },
      required: ["city", "zip"],
    },
    tags: { type: "array", items: { type: "string" } },
  },
  required: ["name", "age", "role", "address", "tags"],
};
const OUTPUT =
  '{"name": "Ada Lovelace", "age": 36, "role": "admin", "address": {"city": "London", "zip": "10115"}, "tags": ["math", "engines", "poetry"]}';

/** Per run: ms added per token by the engine's pick (model agreeing), mean and median of mask + apply + accept; one-off compile and tokenizer-info times. */
export async function grammarCost(
  runs: number,
): Promise<{ agreeing: number[]; mean: number[]; median: number[]; compileMs: number; setupMs: number; tokens: number }> {
  const base = "/models/tiny-random-qwen3/";
  const [runner, files] = await Promise.all([ReferenceRunner.load(base), loadModelFiles(base)]);
  const model = await assembleModel("tiny-random-qwen3", runner, files);
  const provider = new XGrammarProvider();
  const request = {
    constraint: { kind: "json_schema" as const, schema: SCHEMA, strict: true },
    options: { disableAnyWhitespace: false, disableAdditionalProperties: false, whitespacePattern: null },
    param: "response_format",
    maxSize: 1000,
  };
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
  const agreeing: number[] = [];
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

    // Argmax alone, the engine's pick, argmax alone again: the pick's cost is its pass minus the mean of the two others.
    const argmaxPass = async () => {
      const t0 = performance.now();
      for (const id of tokens) {
        logits.fill(0);
        logits[id] = 10;
        await Promise.resolve();
        if (argmax(logits) !== id) throw new Error("unreachable");
      }
      return performance.now() - t0;
    };
    const before = await argmaxPass();
    const lazy = await constraint();
    t = performance.now();
    for (const id of tokens) {
      logits.fill(0);
      logits[id] = 10;
      if ((await lazyPick(logits, lazy, () => argmax(logits))) !== id)
        throw new Error(`the engine picked another token than ${id}`);
    }
    const picked = performance.now() - t;
    lazy.dispose();
    const after = await argmaxPass();
    agreeing.push((picked - (before + after) / 2) / tokens.length);
  }
  provider.forget(model);
  model.tokenizer.dispose();
  await runner.dispose();
  return { agreeing, mean, median, compileMs, setupMs, tokens: tokens.length };
}
