import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../../src/engine/decode/run.js";
import type { ChoiceEvent } from "../../../src/engine/decode/token-step.js";
import { ChoiceOutput } from "../../../src/engine/output/choice-output.js";
import { collectCompletion, streamChunks, type ResponseMeta } from "../../../src/engine/output/responses.js";
import { normalizeRequest, validateRequest, type ChatCompletionChunk } from "../../../src/protocol/index.js";

// streamChunks and collectCompletion fed a run's events as the decode loop yields them: a token
// event per step (`final` when a stop rule fired on it), then the finish event.
const request = (body: Record<string, unknown>) =>
  normalizeRequest(validateRequest({ messages: [{ role: "user", content: "x" }], ...body }), {
    models: ["m"],
    contextWindow: 1000,
    vocabSize: 10,
  });

const meta = (role: ResponseMeta["role"] = "assistant"): ResponseMeta => ({
  id: "chatcmpl-1",
  created: 0,
  model: "m",
  systemFingerprint: "fp",
  role,
  prompt: Int32Array.of(1, 2, 3),
  reasons: false,
  hidesTokens: false,
  promptText: null,
  echo: "",
  output: () => new ChoiceOutput({ reasoning: null, tools: null, parallel: true }),
});

/** Tokens (id, the text the detokenizer released) ending in a stop rule, then the finish. */
async function* run(tokens: [number, string][], finishText = ""): AsyncGenerator<RunEvent> {
  yield { type: "prompt", cachedTokens: 0, promptLogprobs: null };
  const events: ChoiceEvent[] = tokens.map(([tokenId, text], i) => ({
    type: "token",
    tokenId,
    text,
    logprob: null,
    sampledLogprob: 0,
    final: i === tokens.length - 1,
    endsOutput: false,
  }));
  events.push({ type: "finish", text: finishText, reason: "length", stopReason: null });
  for (const event of events) yield { type: "choice", index: 0, event };
}

async function chunksOf(events: AsyncIterable<RunEvent>, body: Record<string, unknown>, m = meta()) {
  const out: ChatCompletionChunk[] = [];
  for await (const c of streamChunks(events, request({ stream: true, ...body }), m)) out.push(c);
  return out;
}

const usage = { stream_options: { include_usage: true, continuous_usage_stats: true } };

describe("stream chunks as vLLM 0.32 cuts them", () => {
  it("a chunk per token, the last one with finish_reason; continuous usage counts each", async () => {
    const chunks = await chunksOf(
      run([
        [5, " a"],
        [6, " b"],
        [7, " c"],
      ]),
      usage,
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? null)).toEqual(["", " a", " b", " c", null]);
    expect(chunks.map((c) => c.usage?.completion_tokens)).toEqual([0, 1, 2, 3, 3]);
    expect(chunks[3]!.choices[0]!.finish_reason).toBe("length");
  });

  it("a token whose text is held back has no chunk; its count shows on the next", async () => {
    const chunks = await chunksOf(
      run(
        [
          [5, ""],
          [6, "ab"],
          [7, ""],
        ],
        "c",
      ),
      usage,
    );
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: "assistant", content: "" },
      { content: "ab" },
      { content: "c" },
      null,
    ]);
    expect(chunks.map((c) => c.usage?.completion_tokens)).toEqual([0, 2, 3, 3]);
  });

  it("with return_token_ids a held-back token still gets a chunk (delta {}); a finish with nothing to say is {}", async () => {
    const chunks = await chunksOf(
      run([
        [5, ""],
        [6, ""],
      ]),
      { return_token_ids: true },
    );
    expect(chunks.slice(1).map((c) => [c.choices[0]!.delta, c.choices[0]!.token_ids])).toEqual([
      [{}, [5]],
      [{}, [6]],
    ]);
  });

  it("system_fingerprint: on the usage chunk with include_usage, else on the finish chunk only", async () => {
    const withUsage = await chunksOf(
      run([
        [5, "a"],
        [6, "b"],
      ]),
      usage,
    );
    expect(withUsage.map((c) => "system_fingerprint" in c)).toEqual([false, false, false, true]);
    const without = await chunksOf(
      run([
        [5, "a"],
        [6, "b"],
      ]),
      {},
    );
    expect(without.map((c) => c.system_fingerprint ?? null)).toEqual([null, null, "fp"]);
  });

  it("the role is the answer's: the last message's when there is no generation prompt", async () => {
    const chunks = await chunksOf(run([[5, "a"]]), {}, meta("user"));
    expect(chunks[0]!.choices[0]!.delta.role).toBe("user");
    const whole = await collectCompletion(run([[5, "a"]]), request({}), meta("user"));
    expect(whole.choices[0]!.message.role).toBe("user");
    expect(whole.system_fingerprint).toBe("fp");
  });

  it("include_reasoning false on a reasoning model: no logprobs and no token ids, streamed or not (vLLM)", async () => {
    const hiding = { ...meta(), reasons: true, hidesTokens: true };
    const body = { logprobs: true, return_token_ids: true, include_reasoning: false };
    const chunks = await chunksOf(
      run([
        [5, ""],
        [6, "a"],
      ]),
      body,
      hiding,
    );
    expect(chunks.map((c) => [c.choices[0]?.logprobs ?? null, c.choices[0]?.token_ids ?? null])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(chunks[0]!.prompt_token_ids).toEqual([1, 2, 3]);
    const whole = await collectCompletion(run([[5, "a"]]), request(body), hiding);
    expect([whole.choices[0]!.logprobs, whole.choices[0]!.token_ids]).toEqual([null, null]);
    const shown = await collectCompletion(run([[5, "a"]]), request(body), meta());
    expect(shown.choices[0]!.token_ids).toEqual([5]);
  });
});
