import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import type { ChatCompletionChunk } from "../../../src/protocol/index.js";
import { DEFAULT_TINY_MODEL_DIR } from "../../fixtures/make-tiny-model.js";
import { answerOf, streamedAnswer, WHOLE_ANSWERS, WHOLE_REQUESTS } from "../../fixtures/whole-requests.js";
import { createNodeEngine } from "../support/node-engine.js";

// The tiny model (a Qwen3 template, random weights that never write </think>) with its record
// naming vLLM's qwen3 reasoning parser: as with `vllm serve --reasoning-parser qwen3`, everything
// before a </think> is reasoning, so its whole reply is; thinking off makes it content again.
let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine(DEFAULT_TINY_MODEL_DIR, { modelId: "tiny-random-qwen3", reasoningFormat: "qwen3" });
});

async function streamed(body: object) {
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of await engine.stream({ ...body, stream: true })) chunks.push(c);
  return streamedAnswer(chunks);
}

describe("a record's reasoning_parser: qwen3", () => {
  const greedy = WHOLE_REQUESTS.greedy;
  const text = WHOLE_ANSWERS.greedy.content;

  it("a reply without </think> is all reasoning, streamed or not", async () => {
    const expected = { ...WHOLE_ANSWERS.greedy, content: "", reasoning: text };
    expect(answerOf(await engine.create(greedy))).toEqual(expected);
    expect(await streamed(greedy)).toEqual(expected);
  });

  it("enable_thinking false (the template closes the block in the prompt): all content", async () => {
    const off = { ...greedy, chat_template_kwargs: { enable_thinking: false } };
    const c = answerOf(await engine.create(off));
    expect(c.reasoning).toBeUndefined();
    expect(c.content.length).toBeGreaterThan(0);
    expect(await streamed(off)).toEqual(c);
  });

  it("include_reasoning false leaves the reasoning out", async () => {
    const c = await engine.create({ ...greedy, include_reasoning: false });
    // Reasoning took the whole answer and is left out: content is null, as vLLM sends it.
    expect(c.choices[0]!.message).toMatchObject({ content: null });
    expect(c.choices[0]!.message.reasoning_content).toBeUndefined();
  });
});

describe("detected from the template (no reasoning_parser)", () => {
  it("the tiny model's replies stay content unless the prompt leaves <think> open", async () => {
    const detected = await createNodeEngine(DEFAULT_TINY_MODEL_DIR, { modelId: "tiny-random-qwen3" });
    expect(answerOf(await detected.create(WHOLE_REQUESTS.greedy))).toEqual(WHOLE_ANSWERS.greedy);
    const continued = {
      model: "tiny-random-qwen3",
      messages: [
        { role: "user", content: "Is 17 prime?" },
        { role: "assistant", content: "<think>Let me check" },
      ],
      add_generation_prompt: false,
      continue_final_message: true,
      temperature: 0,
      max_tokens: 8,
    };
    const c = answerOf(await detected.create(continued));
    expect(c.content).toBe("");
    expect(c.reasoning!.length).toBeGreaterThan(0);
  });
});
