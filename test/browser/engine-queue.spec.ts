import type { ChatCompletion } from "../../src/protocol/index.js";
import { engineCalls } from "./support/engine-calls.js";
import { expect, fileHarnessTest as test } from "./support/fixtures.js";

const { ok: create } = engineCalls();
const turn1 = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Name a colour." },
];

test.describe.configure({ mode: "serial" });

test("prefix reuse: a second turn reuses the cached prefix and yields the same tokens as a cold run; another cache_salt reuses nothing", async ({
  harness,
}) => {
  const body = { temperature: 0, max_tokens: 6, return_token_ids: true, ignore_eos: true, cache_salt: "user-a" };
  const first = await create(harness, { ...body, messages: turn1 });
  const turn2 = [
    ...turn1,
    { role: "assistant", content: first.choices[0]!.message.content },
    { role: "user", content: "Another one." },
  ];
  const warm = await create(harness, { ...body, messages: turn2 });
  expect(warm.usage.prompt_tokens_details!.cached_tokens).toBeGreaterThan(10);
  const cold = await create(harness, { ...body, messages: turn2, cache_salt: "user-b" });
  expect(cold.usage.prompt_tokens_details!.cached_tokens).toBe(0);
  expect(cold.choices[0]!.token_ids).toEqual(warm.choices[0]!.token_ids);
  // Back to salt a: its cache was replaced by b's run, and b's tokens are never reused under a.
  const again = await create(harness, { ...body, messages: turn2 });
  expect(again.usage.prompt_tokens_details!.cached_tokens).toBe(0);
});

test("priority: among queued requests, the lower value finishes first", async ({ harness }) => {
  const order = await harness.evaluate(() => {
    const m = [{ role: "user", content: "q" }];
    return window.harness.engine.race([
      { messages: m, request_id: "blocker", max_tokens: 40, ignore_eos: true },
      { messages: m, request_id: "p5", priority: 5, max_tokens: 2 },
      { messages: m, request_id: "p1", priority: 1, max_tokens: 2 },
      { messages: m, request_id: "p3", priority: 3, max_tokens: 2 },
      { messages: m, request_id: "p1-later", priority: 1, max_tokens: 2 },
    ]);
  });
  expect(order).toEqual(["blocker", "p1", "p1-later", "p3", "p5"]);
});

test("errors: prompt over the context window is 413, a duplicate request_id 409, a broken template names its line", async ({
  harness,
}) => {
  const tooLong = await harness.evaluate(() =>
    window.harness.engine.create({ messages: [{ role: "user", content: "word ".repeat(45000) }] }),
  );
  expect(tooLong).toMatchObject({
    error: { status: 413, type: "request_too_large", param: "messages", code: "context_length_exceeded" },
  });
  expect((tooLong as { error: { message: string } }).error.message).toMatch(
    /The prompt has \d+ tokens; the model's context window is 40960/,
  );

  const overMax = await harness.evaluate(() =>
    window.harness.engine.create({ messages: [{ role: "user", content: "hi" }], max_tokens: 40959 }),
  );
  expect(overMax).toMatchObject({ error: { status: 400, param: "max_tokens", code: "context_length_exceeded" } });

  const broken = await harness.evaluate(() =>
    window.harness.engine.create({
      messages: [{ role: "user", content: "hi" }],
      chat_template: "{% for m in messages %}\n{{ m.content }\n{% endfor %}",
    }),
  );
  expect(broken).toMatchObject({ error: { status: 400, param: "chat_template", code: "invalid_template" } });
  expect((broken as { error: { message: string } }).error.message).toMatch(/near line 2/);

  const raised = await harness.evaluate(() =>
    window.harness.engine.create({
      messages: [{ role: "user", content: "hi" }],
      chat_template: "{{ raise_exception('roles must alternate') }}",
    }),
  );
  expect(raised).toMatchObject({ error: { status: 400, param: "chat_template", code: "template_error" } });
  expect((raised as { error: { message: string } }).error.message).toMatch(/roles must alternate/);

  const loop = await harness.evaluate(() =>
    window.harness.engine.create({
      messages: [{ role: "user", content: "hi" }],
      chat_template: "{% for i in range(100000000) %}x{% endfor %}",
    }),
  );
  expect((loop as { error: { message: string } }).error.message).toMatch(
    /range\(\) of 100000000 items is over the template limit/,
  );

  const dup = await harness.evaluate(() => {
    const m = [{ role: "user", content: "q" }];
    return Promise.all([
      window.harness.engine.create({ messages: m, request_id: "same", max_tokens: 20, ignore_eos: true }),
      window.harness.engine.create({ messages: m, request_id: "same", max_tokens: 2 }),
    ]);
  });
  expect(dup[1]).toMatchObject({ error: { status: 409, type: "conflict_error", param: "request_id" } });
  expect(dup[0]).toHaveProperty("choices");
});

test("repetition_detection ends a looping output early; best_of keeps the best of its candidates", async ({ harness }) => {
  const m = [{ role: "user", content: "Hello!" }];
  // Greedy on this model loops (see the demo): detection stops it well before max_tokens.
  const loop = await create(harness, {
    messages: m,
    temperature: 0,
    max_tokens: 200,
    ignore_eos: true,
    return_token_ids: true,
    repetition_detection: { max_pattern_size: 4, min_count: 3 },
  });
  const ids = loop.choices[0]!.token_ids!;
  expect(loop.choices[0]!.finish_reason).toBe("stop");
  expect(ids.length).toBeLessThan(200);
  const best = await create(harness, {
    messages: m,
    temperature: 1,
    seed: 4,
    max_tokens: 6,
    n: 1,
    best_of: 3,
    logprobs: true,
    ignore_eos: true,
  });
  expect(best.choices.length).toBe(1);
  expect(best.usage.completion_tokens).toBe(18);
  const candidates = await create(harness, {
    messages: m,
    temperature: 1,
    seed: 4,
    max_tokens: 6,
    n: 3,
    logprobs: true,
    ignore_eos: true,
  });
  const mean = (c: ChatCompletion["choices"][number]) => c.logprobs!.content!.reduce((a, l) => a + l.logprob, 0) / 6;
  const bestMean = Math.max(...candidates.choices.map(mean));
  expect(mean(best.choices[0]!)).toBeCloseTo(bestMean, 5);
});
