import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import type { ChatCompletionChunk } from "../../../src/protocol/index.js";
import { DEFAULT_TINY_MODEL_DIR } from "../../fixtures/make-tiny-model.js";
import { createNodeEngine } from "../support/node-engine.js";

// vLLM 0.32's answers the differential suite (test/vllm/) checks, here on the engine alone: the
// tiny model's tokenizer has eos_token <|im_end|> (151645); its generation_config.json adds
// <|endoftext|> (151643).
let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine(DEFAULT_TINY_MODEL_DIR, { modelId: "tiny-random-qwen3" });
});

const base = { messages: [{ role: "user", content: "Hello" }], temperature: 0, max_tokens: 4 };

async function chunks(body: object): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const c of await engine.stream({ ...body, stream: true })) out.push(c);
  return out;
}

describe("vLLM's rules on the engine", () => {
  it("stop_reason: null on the tokenizer's EOS, the id on generation_config's extra EOS", async () => {
    const own = await engine.create({ ...base, allowed_token_ids: [151645] });
    expect(own.choices[0]).toMatchObject({ finish_reason: "stop", stop_reason: null });
    const extra = await engine.create({ ...base, allowed_token_ids: [151643] });
    expect(extra.choices[0]).toMatchObject({ finish_reason: "stop", stop_reason: 151643 });
    const streamed = (await chunks({ ...base, allowed_token_ids: [151643] })).at(-1)!;
    expect(streamed.choices[0]).toMatchObject({ finish_reason: "stop", stop_reason: 151643 });
  }, 300_000);

  it("add_generation_prompt false answers with the last message's role, streamed or not", async () => {
    const body = { ...base, add_generation_prompt: false };
    expect((await engine.create(body)).choices[0]!.message.role).toBe("user");
    expect((await chunks(body))[0]!.choices[0]!.delta.role).toBe("user");
    expect((await engine.create(base)).choices[0]!.message.role).toBe("assistant");
  }, 300_000);
});
