import { expect, test } from "@playwright/test";
import { killSharedWorkers, openTab, startTabs } from "./support/shared-tabs.js";

type Started = Awaited<ReturnType<typeof startTabs>>[number];
/** The text of a result that must not be an error. */
const text = (r: unknown) => {
  if (typeof (r as { text?: unknown }).text !== "string") throw new Error(`expected an answer, got ${JSON.stringify(r)}`);
  return (r as { text: string }).text;
};
const ask = (content: string, seed: number, extra: object = {}) => ({
  messages: [{ role: "user", content }],
  seed,
  temperature: 0.9,
  max_tokens: 24,
  ignore_eos: true,
  ...extra,
});

test("two tabs: the model loads once (the second tab joins the load and sees its progress), a third finds it loaded; concurrent seeded streams match their solo runs", async ({
  context,
}) => {
  const [a, b] = [await openTab(context), await openTab(context)];
  const [ra, rb] = (await startTabs(a, b)) as [Started, Started];
  console.log("start", JSON.stringify({ ra, rb }));
  expect(ra.mode).toBe("shared");
  expect(rb.mode).toBe("shared");
  expect(ra.stages).toEqual(expect.arrayContaining(["download", "ready"]));
  expect(rb.stages).toContain("ready"); // B joined A's load: it hears the load's progress, up to ready
  expect(rb.status).toMatchObject({ tabs: 2, loads: 1, models: ["tiny-random-qwen3"] });

  const c = await openTab(context);
  const [rc] = (await startTabs(c)) as [Started];
  expect(rc.status).toMatchObject({ tabs: 3, loads: 1 }); // already loaded: no second load
  expect(rc.stages).toEqual([]);

  const bodyA = ask("Tell me about Paris.", 7);
  const bodyB = ask("Tell me about Rome.", 8);
  const [sa, sb, sc] = await Promise.all([
    a.evaluate((body) => window.shared.stream(body), bodyA),
    b.evaluate((body) => window.shared.stream(body), bodyB),
    c.evaluate((body) => window.shared.create(body), bodyA),
  ]);
  const soloA = await b.evaluate((body) => window.shared.stream(body), bodyA);
  const soloB = await a.evaluate((body) => window.shared.stream(body), bodyB);
  expect(sa).toMatchObject({ text: text(soloA), finish: "length" });
  expect(sb).toMatchObject({ text: text(soloB), finish: "length" });
  expect(sc).toMatchObject({ text: text(soloA) });
  expect(text(sa)).not.toBe(text(sb));
  expect(await a.evaluate(() => window.shared.status())).toMatchObject({ loads: 1, queued: 0 });
});

test("across tabs: the same request_id runs in both (a duplicate within one tab is still a 409 naming it), cache_salt keeps tabs' prefixes apart, unload waits for the other tab", async ({
  context,
}) => {
  const [a, b] = [await openTab(context), await openTab(context)];
  await startTabs(a, b);
  const same = ask("A shared id.", 3, { request_id: "req-1", max_tokens: 12 });
  const [ra, rb, dup] = await Promise.all([
    a.evaluate((body) => window.shared.create(body), same),
    b.evaluate((body) => window.shared.all([body, body]), same),
  ]).then(([x, [y, z]]) => [x, y, z]);
  expect(ra).toMatchObject({ id: "chatcmpl-req-1", finish: "length" });
  expect([rb, dup]).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ id: "chatcmpl-req-1", finish: "length" }),
      {
        error: expect.objectContaining({
          status: 409,
          param: "request_id",
          code: "duplicate_request_id",
          message: expect.stringContaining('"req-1"'),
        }),
      },
    ]),
  );

  const long = "Tell me everything about the history of the city of Paris, in detail. ".repeat(3);
  const salted = (salt: string) => ask(long, 1, { cache_salt: salt, max_tokens: 2 });
  const cached = (r: unknown) =>
    (r as { usage: { prompt_tokens_details?: { cached_tokens: number } } }).usage.prompt_tokens_details?.cached_tokens ?? 0;
  await a.evaluate((body) => window.shared.create(body), salted("tab-a"));
  const sameSalt = await b.evaluate((body) => window.shared.create(body), salted("tab-a"));
  const other = await a.evaluate((body) => window.shared.create(body), salted("tab-b"));
  expect(cached(sameSalt)).toBeGreaterThan(10); // one engine: a tab reuses the prefix another cached under the same salt
  expect(cached(other)).toBe(0); // and never one cached under another salt

  // A unloads while B streams: B's stream completes and the model stays for B; B's unload then removes it.
  await b.evaluate((body) => window.shared.startStream(body), ask("A long answer.", 5, { max_tokens: 60 }));
  await a.evaluate(() => window.shared.unload("tiny-random-qwen3"));
  expect(await b.evaluate(() => window.shared.heldResult())).toMatchObject({ finish: "length" });
  expect(await a.evaluate(() => window.shared.models())).toEqual(["tiny-random-qwen3"]);
  await b.evaluate(() => window.shared.unload("tiny-random-qwen3"));
  expect(await a.evaluate(() => window.shared.models())).toEqual([]);
});

const forever = ask("Go on forever.", 2, { max_tokens: 2000 });

test("a tab closed mid-stream aborts only its own request: the other tab's queued stream completes and the queue is empty", async ({
  context,
}) => {
  const [a, b] = [await openTab(context), await openTab(context)];
  await startTabs(a, b);
  const body = ask("Keep talking.", 9, { max_tokens: 40 });
  const solo = await b.evaluate((x) => window.shared.stream(x), body);
  // A reads 3 chunks and stops reading: the worker waits on A's tab (back-pressure), B queues behind it.
  expect(await a.evaluate((x) => window.shared.hold(x, 3), forever)).toBe(3);
  await b.evaluate((x) => window.shared.startStream(x), body);
  await expect.poll(() => b.evaluate(() => window.shared.status().then((s) => s!.queued))).toBe(1);
  await a.close();
  expect(await b.evaluate(() => window.shared.heldResult())).toMatchObject({ text: text(solo), finish: "length" });
  expect(await b.evaluate(() => window.shared.status())).toMatchObject({ tabs: 1, queued: 0, loads: 1 });
});

test("one queue for all tabs: waiting requests from different tabs run by priority, then arrival", async ({ context }) => {
  const [a, b, c] = [await openTab(context), await openTab(context), await openTab(context)];
  await startTabs(a, b, c);
  expect(await a.evaluate((x) => window.shared.hold(x, 2), ask("Hold the engine.", 1, { max_tokens: 30 }))).toBe(2);
  const queue = [
    [b, "b1 priority 1", 1],
    [c, "c1 priority 1", 1],
    [c, "c2 priority 0", 0],
    [b, "b2 priority 1", 1],
  ] as const;
  for (const [i, [page, label, priority]] of queue.entries()) {
    await page.evaluate(
      ([l, p]) => window.shared.later(l, { messages: [{ role: "user", content: l }], max_tokens: 4, priority: p }),
      [label, priority] as const,
    );
    await expect.poll(() => a.evaluate(() => window.shared.status().then((s) => s!.queued))).toBe(i + 1);
  }
  await a.evaluate(() => window.shared.resumeHeld());
  expect(await a.evaluate(() => window.shared.heldResult())).toEqual({ chunks: expect.any(Number) });
  const done = [
    ...(await b.evaluate(() => window.shared.laterResults())),
    ...(await c.evaluate(() => window.shared.laterResults())),
  ];
  expect(done.sort((x, y) => x.at - y.at).map((d) => d.label)).toEqual([
    "c2 priority 0",
    "b1 priority 1",
    "c1 priority 1",
    "b2 priority 1",
  ]);
  await c.evaluate(() => window.shared.dispose()); // dispose() ends the tab's session as closing the tab does
  await expect.poll(() => a.evaluate(() => window.shared.status().then((s) => s!.tabs))).toBe(2);
});

test("the shared worker killed: both tabs' pending calls get 503 worker_died, then both recover on a new worker that loads once", async ({
  browser,
  context,
}) => {
  const [a, b] = [await openTab(context), await openTab(context)];
  await startTabs(a, b);
  const body = ask("Before and after.", 4, { max_tokens: 12 });
  const before = await a.evaluate((x) => window.shared.create(x), body);
  expect(await a.evaluate((x) => window.shared.hold(x, 2), forever)).toBe(2);
  await b.evaluate((x) => window.shared.startStream(x), body);
  expect(await killSharedWorkers(browser)).toBe(1);
  const died = { error: expect.objectContaining({ status: 503, type: "service_unavailable_error", code: "worker_died" }) };
  await a.evaluate(() => window.shared.resumeHeld()); // A reads on: the chunks it had, then the 503
  expect(await a.evaluate(() => window.shared.heldResult())).toEqual(died);
  expect(await b.evaluate(() => window.shared.heldResult())).toEqual(died);
  const [afterA, afterB] = await Promise.all([
    a.evaluate((x) => window.shared.create(x), body),
    b.evaluate((x) => window.shared.create(x), body),
  ]);
  expect(afterA).toMatchObject({ text: text(before) });
  expect(afterB).toMatchObject({ text: text(before) });
  expect(await a.evaluate(() => window.shared.status())).toMatchObject({ tabs: 2, loads: 1, queued: 0 });
});
