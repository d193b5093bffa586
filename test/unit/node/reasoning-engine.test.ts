import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import type { ChatCompletionChunk } from "../../../src/protocol/index.js";
import { DEFAULT_TINY_MODEL_DIR } from "../../fixtures/make-tiny-model.js";
import { answerOf, streamedAnswer, WHOLE_ANSWERS, WHOLE_REQUESTS } from "../../fixtures/whole-requests.js";
import { createNodeEngine } from "../support/node-engine.js";
import { tools } from "../../fixtures/weather-tools.js";

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

describe("a record's qwen3 parser holds grammars back until reasoning ends, as vLLM's structured-output manager", () => {
  const greedy = WHOLE_REQUESTS.greedy;
  const THINK_END = "151668"; // </think>
  const TOOL_CALL = "151657"; // <tool_call>
  const person = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };

  it("while the model reasons, a json schema changes nothing: the same reasoning, every token counted as reasoning", async () => {
    const free = await engine.create(greedy);
    const held = await engine.create({ ...greedy, structured_outputs: { json: person } });
    expect(answerOf(held)).toEqual(answerOf(free));
    expect(held.usage!.completion_tokens_details!.reasoning_tokens).toBe(12);
    const streamedHeld = await streamed({
      ...greedy,
      response_format: { type: "json_schema", json_schema: { name: "p", schema: person } },
    });
    expect(streamedHeld).toEqual(answerOf(free));
  });

  it("after </think> the grammar applies from the next token; thinking off, from the first", async () => {
    // The bias makes </think> the first token; the grammar then masks it out.
    const body = { ...greedy, max_tokens: 8, logit_bias: { [THINK_END]: 100 }, structured_outputs: { choice: ["yes", "no"] } };
    const c = await engine.create(body);
    expect(c.choices[0]!.token_ids![0]).toBe(Number(THINK_END));
    expect(answerOf(c)).toMatchObject({ content: expect.stringMatching(/^(yes|no)$/), finish: "stop" });
    expect(answerOf(c).reasoning).toBeUndefined();
    const off = await engine.create({
      ...greedy,
      structured_outputs: { choice: ["yes", "no"] },
      chat_template_kwargs: { enable_thinking: false },
    });
    expect(answerOf(off)).toMatchObject({ content: expect.stringMatching(/^(yes|no)$/), finish: "stop" });
  });

  it("a forced tool call waits too; <tool_call> ends reasoning and is the call's first token", async () => {
    const forced = { ...greedy, max_tokens: 8, tools, tool_choice: "required" };
    const waiting = answerOf(await engine.create(forced));
    expect(waiting).toMatchObject({ content: "", calls: [], finish: "length" });
    expect(waiting.reasoning!.length).toBeGreaterThan(0);
    const c = await engine.create({ ...forced, max_tokens: 60, logit_bias: { [TOOL_CALL]: 100 } });
    expect(c.choices[0]!.token_ids![0]).toBe(Number(TOOL_CALL));
    expect(c.choices[0]!.finish_reason).toBe("tool_calls");
    expect(c.choices[0]!.message.tool_calls!.length).toBeGreaterThan(0);
  }, 180_000);

  it("include_reasoning false: the grammar applies from the first token (vLLM's reasoning_ended), its output hidden as reasoning", async () => {
    const c = await engine.create({ ...greedy, include_reasoning: false, structured_outputs: { choice: ["yes", "no"] } });
    expect(answerOf(c)).toMatchObject({ content: "", finish: "stop" });
    // Unconstrained, greedy runs to max_tokens (12); the choice grammar ends it after a word and the end of turn.
    expect(c.usage!.completion_tokens).toBeLessThanOrEqual(3);
    // The end of turn ends the output; as in vLLM, it is not a reasoning token.
    expect(c.usage!.completion_tokens_details!.reasoning_tokens).toBe(c.usage!.completion_tokens - 1);
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
