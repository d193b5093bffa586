import { engineCalls } from "./support/engine-calls.js";
import { expect, fileHarnessTest as test } from "./support/fixtures.js";

const { ok, streamed } = engineCalls();

/** A continued assistant turn that opened <think>: what the model writes next is reasoning. */
const thinking = {
  messages: [
    { role: "user", content: "Is 17 prime?" },
    { role: "assistant", content: "<think>Let me check" },
  ],
  add_generation_prompt: false,
  continue_final_message: true,
  seed: 5,
  max_tokens: 16,
  ignore_eos: true,
  logprobs: true,
};

test.describe.configure({ mode: "serial" });

test("a continued <think> goes to reasoning_content and reasoning; streamed as reasoning deltas; include_reasoning false drops it", async ({
  harness,
}) => {
  const r = (await ok(harness, thinking)).choices[0]!;
  const raw = r.logprobs!.content!.map((l) => l.token).join("");
  expect(raw).not.toContain("</think>");
  expect(r.message.reasoning_content).toBe(raw);
  expect(r.message.reasoning).toBe(raw);
  expect(r.message.content).toBeNull(); // vLLM: no content after the reasoning is null

  const chunks = await streamed(harness, thinking);
  const deltas = chunks.flatMap((c) => c.choices.map((x) => x.delta));
  expect(deltas.map((d) => d.reasoning_content ?? "").join("")).toBe(raw);
  expect(deltas.map((d) => d.reasoning ?? "").join("")).toBe(raw);
  expect(deltas.map((d) => d.content ?? "").join("")).toBe("");

  const dropped = (await ok(harness, { ...thinking, include_reasoning: false })).choices[0]!;
  expect(dropped.message.reasoning_content).toBeUndefined();
  expect(dropped.message.content).toBeNull();
  expect(dropped.logprobs).toBeNull(); // vLLM: their token text would show the hidden reasoning
});

test("enable_thinking and reasoning_effort reach the template", async ({ harness }) => {
  const base = { messages: [{ role: "user", content: "Hi" }], seed: 2, max_tokens: 4 };
  const plain = await ok(harness, base);
  const off = await ok(harness, { ...base, chat_template_kwargs: { enable_thinking: false } });
  // Qwen3's template closes an empty think block when thinking is off: "<think>\n\n</think>\n\n".
  expect(off.usage.prompt_tokens).toBeGreaterThan(plain.usage.prompt_tokens);
  expect(off.choices[0]!.message.reasoning_content).toBeUndefined();
  const effort = await ok(harness, { ...base, reasoning_effort: "low" });
  expect(effort.usage.prompt_tokens).toBe(plain.usage.prompt_tokens); // effort turns thinking on, Qwen3's default
  const effortOff = await ok(harness, { ...base, reasoning_effort: "low", chat_template_kwargs: { enable_thinking: false } });
  expect(effortOff.usage.prompt_tokens).toBe(off.usage.prompt_tokens);
});
