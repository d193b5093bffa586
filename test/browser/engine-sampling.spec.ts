import type { ChatCompletion } from "../../src/protocol/index.js";
import { engineCalls } from "./support/engine-calls.js";
import { expect, fileHarnessTest as test } from "./support/fixtures.js";
import { allLogits, argmax, logSoftmaxAt } from "./support/node-reference.js";

const messages = [{ role: "user", content: "Tell me a story." }];
const { ok: create } = engineCalls({ messages });
const ids = (c: ChatCompletion, i = 0) => c.choices[i]!.token_ids!;

test.describe.configure({ mode: "serial" });

test("greedy decoding equals the argmax of the runner's logits at every step", async ({ harness }) => {
  const c = await create(harness, { temperature: 0, max_tokens: 12, return_token_ids: true });
  const prompt = c.prompt_token_ids!;
  const out = ids(c);
  expect(out.length).toBeGreaterThan(0);
  const rows = await allLogits([...prompt, ...out]);
  out.forEach((t, j) => expect(t, `step ${j}`).toBe(argmax(rows[prompt.length - 1 + j]!)));
  expect(c.usage).toMatchObject({ prompt_tokens: prompt.length, completion_tokens: out.length });
});

test("same seed gives the same tokens and logprobs; another seed differs; top_k=1 is greedy", async ({ harness }) => {
  const body = {
    temperature: 1,
    max_tokens: 16,
    seed: 11,
    logprobs: true,
    top_logprobs: 3,
    return_token_ids: true,
    ignore_eos: true,
  };
  const a = await create(harness, body);
  const b = await create(harness, body);
  expect(ids(b)).toEqual(ids(a));
  expect(b.choices[0]!.logprobs).toEqual(a.choices[0]!.logprobs);
  const c = await create(harness, { ...body, seed: 12 });
  expect(ids(c)).not.toEqual(ids(a));
  const greedy = await create(harness, { temperature: 0, max_tokens: 10, return_token_ids: true, ignore_eos: true });
  const k1 = await create(harness, {
    temperature: 1.5,
    top_k: 1,
    seed: 3,
    max_tokens: 10,
    return_token_ids: true,
    ignore_eos: true,
  });
  expect(ids(k1)).toEqual(ids(greedy));
});

test("n choices: choice i uses seed + i", async ({ harness }) => {
  const body = { temperature: 1, max_tokens: 8, return_token_ids: true, ignore_eos: true };
  const three = await create(harness, { ...body, n: 3, seed: 100 });
  expect(three.choices.map((c) => c.index)).toEqual([0, 1, 2]);
  const third = await create(harness, { ...body, seed: 102 });
  expect(ids(three, 2)).toEqual(ids(third));
  expect(three.usage.completion_tokens).toBe(24);
});

test("allowed_token_ids, logit_bias, min_tokens, bad_words", async ({ harness }) => {
  const allowed = await create(harness, {
    temperature: 1,
    seed: 5,
    max_tokens: 30,
    allowed_token_ids: [9707, 1879],
    return_token_ids: true,
  });
  expect(new Set(ids(allowed))).toEqual(new Set([9707, 1879]));

  const forced = await create(harness, {
    temperature: 1,
    seed: 5,
    max_tokens: 10,
    logit_bias: { "1879": 100 },
    return_token_ids: true,
  });
  expect(ids(forced)).toEqual(Array(10).fill(1879));
  expect(forced.choices[0]!.message.content).toBe(" world".repeat(10));

  // EOS pushed to the top: it ends at once, unless min_tokens holds it back.
  const eager = await create(harness, { temperature: 0, max_tokens: 20, logit_bias: { "151645": 100 }, return_token_ids: true });
  expect(ids(eager)).toEqual([151645]);
  expect(eager.choices[0]).toMatchObject({ finish_reason: "stop", stop_reason: null, message: { content: "" } });
  const held = await create(harness, {
    temperature: 0,
    max_tokens: 20,
    min_tokens: 5,
    logit_bias: { "151645": 100 },
    return_token_ids: true,
  });
  expect(ids(held).length).toBe(6);
  expect(ids(held).slice(0, 5)).not.toContain(151645);
  expect(ids(held)[5]).toBe(151645);

  // Ban the most frequent token of a sampled run, then sample 200 tokens without it.
  const body = { temperature: 1, seed: 9, max_tokens: 200, ignore_eos: true, logprobs: true, return_token_ids: true };
  const free = await create(harness, body);
  const counts = new Map<number, number>();
  for (const t of ids(free)) counts.set(t, (counts.get(t) ?? 0) + 1);
  const [top] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const word = free.choices[0]!.logprobs!.content!.find((_, i) => ids(free)[i] === top)!.token;
  const banned = await create(harness, { ...body, bad_words: [word.trim() || word] });
  expect(ids(banned).length).toBe(200);
  expect(ids(banned)).not.toContain(top);
});

test("logprobs: sorted top lists; sampled logprob is the log-softmax at that step; prompt_logprobs agree", async ({
  harness,
}) => {
  const c = await create(harness, {
    temperature: 1,
    seed: 21,
    max_tokens: 6,
    logprobs: true,
    top_logprobs: 5,
    prompt_logprobs: 2,
    return_token_ids: true,
    ignore_eos: true,
  });
  const prompt = c.prompt_token_ids!;
  const out = ids(c);
  const rows = await allLogits([...prompt, ...out]);
  const lps = c.choices[0]!.logprobs!.content!;
  expect(lps.length).toBe(out.length);
  lps.forEach((lp, j) => {
    const tops = lp.top_logprobs.map((t) => t.logprob);
    expect(tops).toEqual([...tops].sort((a, b) => b - a));
    expect(tops.length).toBe(5);
    expect(Math.abs(lp.logprob - logSoftmaxAt(rows[prompt.length - 1 + j]!, out[j]!))).toBeLessThan(1e-4);
    // vLLM: bytes are the shown text's UTF-8 ("" and [] for a token ending mid-character).
    expect(lp.bytes).toEqual(Array.from(new TextEncoder().encode(lp.token)));
  });
  const plp = c.prompt_logprobs!;
  expect(plp.length).toBe(prompt.length);
  expect(plp[0]).toBeNull();
  for (let i = 1; i < prompt.length; i++) {
    const entry = plp[i]![String(prompt[i])]!;
    expect(Math.abs(entry.logprob - logSoftmaxAt(rows[i - 1]!, prompt[i]!))).toBeLessThan(1e-4);
    expect(Object.keys(plp[i]!).length).toBeGreaterThanOrEqual(2);
  }
});

test("return_tokens_as_token_ids writes tokens as token_id:N", async ({ harness }) => {
  const c = await create(harness, {
    temperature: 0,
    max_tokens: 3,
    logprobs: true,
    top_logprobs: 1,
    return_tokens_as_token_ids: true,
    return_token_ids: true,
    ignore_eos: true,
  });
  c.choices[0]!.logprobs!.content!.forEach((lp, i) => expect(lp.token).toBe(`token_id:${ids(c)[i]}`));
});
