import Ajv from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import type { ChatCompletionChunk } from "../../../src/protocol/index.js";
import { DEFAULT_TINY_MODEL_DIR } from "../../fixtures/make-tiny-model.js";
import {
  answerOf,
  PERSON_SCHEMA,
  streamedAnswer,
  WHOLE_ANSWERS,
  WHOLE_REQUESTS,
  WHOLE_REQUEST_TOOLS,
} from "../../fixtures/whole-requests.js";
import { createNodeEngine } from "../support/node-engine.js";

// The real engine in Node: @mlc-ai/web-tokenizers and @mlc-ai/web-xgrammar (their wasm), the
// reference runner on the tiny model read from disk. The answers are the ones Chromium's worker
// gives (test/browser/whole-requests.spec.ts checks the same table there).
let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine(DEFAULT_TINY_MODEL_DIR, { modelId: "tiny-random-qwen3" });
});

async function streamed(body: object): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of await engine.stream({ ...body, stream: true, stream_options: { include_usage: true } })) chunks.push(c);
  return chunks;
}

const names = Object.keys(WHOLE_REQUESTS) as (keyof typeof WHOLE_REQUESTS)[];

describe("whole chat.completions requests through the engine in Node", () => {
  it.each(names)(
    "%s: the exact answer, non-streamed and streamed",
    async (name) => {
      const body = WHOLE_REQUESTS[name];
      const c = await engine.create(body);
      expect(answerOf(c)).toEqual(WHOLE_ANSWERS[name]);
      const chunks = await streamed(body);
      expect(streamedAnswer(chunks)).toEqual(WHOLE_ANSWERS[name]);
      // Only the cached prefix differs: the second run reuses the first one's KV cache.
      const { prompt_tokens, completion_tokens } = c.usage;
      expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens, completion_tokens });
    },
    600_000,
  ); // a 275-token tool prompt twice on the CPU runner: long on a loaded machine

  it("the grammar's output validates against its schema; tool arguments against their tool's", () => {
    const ajv = new Ajv();
    expect(ajv.validate(PERSON_SCHEMA, JSON.parse(WHOLE_ANSWERS.jsonSchema.content))).toBe(true);
    for (const name of ["toolRequired", "toolNamed"] as const)
      for (const [tool, args] of WHOLE_ANSWERS[name].calls) {
        const schema = WHOLE_REQUEST_TOOLS.find((t) => t.function.name === tool)!.function.parameters;
        expect(ajv.validate(schema, JSON.parse(args)), `${tool} ${args}`).toBe(true);
      }
  });

  it("a bad request is a typed 400 and the engine keeps answering", async () => {
    await expect(engine.create({ ...WHOLE_REQUESTS.greedy, max_tokens: -1 })).rejects.toMatchObject({
      status: 400,
      type: "invalid_request_error",
      param: "max_tokens",
    });
    expect(answerOf(await engine.create(WHOLE_REQUESTS.greedy))).toEqual(WHOLE_ANSWERS.greedy);
  });
});
