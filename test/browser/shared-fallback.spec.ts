import { expect, test } from "@playwright/test";
import { openTab, startTabs } from "./support/shared-tabs.js";

test.describe.configure({ mode: "serial" });

const body = {
  messages: [{ role: "user", content: "Name three rivers." }],
  seed: 21,
  temperature: 0.8,
  max_tokens: 16,
  ignore_eos: true,
};
/** Seeded answers per mode: the fallback must answer exactly as the shared engine does. */
const answers: Record<string, unknown> = {};

for (const mode of ["shared", "dedicated"] as const) {
  test(`page API with shared: true, ${mode === "shared" ? "SharedWorker present" : "SharedWorker removed from the page (fallback)"}: engine.mode says ${mode}; create, stream, fetch, abort, models, unload/load`, async ({
    context,
  }) => {
    if (mode === "dedicated") await context.addInitScript(() => delete (globalThis as { SharedWorker?: unknown }).SharedWorker);
    const page = await openTab(context);
    expect(await page.evaluate(() => typeof SharedWorker)).toBe(mode === "shared" ? "function" : "undefined");
    const [started] = await startTabs(page);
    expect(started).toMatchObject({ mode, stages: expect.arrayContaining(["download", "ready"]) });
    if (mode === "shared") expect(started!.status).toMatchObject({ tabs: 1, loads: 1 });
    else expect(started!.status).toBeUndefined();

    const created = await page.evaluate((b) => window.shared.create(b), body);
    const streamed = await page.evaluate((b) => window.shared.stream(b), body);
    const fetched = await page.evaluate((b) => window.shared.fetchChat(b), body);
    expect(created).toMatchObject({ finish: "length", usage: { completion_tokens: 16 } });
    const text = (created as { text: string }).text;
    expect(streamed).toMatchObject({ text, finish: "length" });
    expect(fetched).toMatchObject({ status: 200, body: { choices: [{ message: { content: text } }] } });
    answers[mode] = text;
    if (mode === "dedicated") expect(answers.dedicated).toBe(answers.shared);

    const aborted = await page.evaluate((b) => window.shared.abort({ ...b, max_tokens: 200 }, 2), body);
    expect(aborted).toMatchObject({ finish: "abort", preAborted: ["abort", expect.any(Number)] });
    expect(aborted.preAborted[1]).toBeLessThanOrEqual(1); // as client.spec.ts: aborted before it starts
    expect(aborted.chunks).toBeLessThan(200);
    expect(await page.evaluate((b) => window.shared.create({ ...b, model: "nope" }), body)).toEqual({
      error: expect.objectContaining({ status: 404, param: "model", code: "model_not_found" }),
    });

    expect(await page.evaluate(() => window.shared.models())).toEqual(["tiny-random-qwen3"]);
    await page.evaluate(() => window.shared.unload("tiny-random-qwen3"));
    expect(await page.evaluate(() => window.shared.models())).toEqual([]);
    expect(await page.evaluate(() => window.shared.load("tiny-random-qwen3"))).toEqual(["tiny-random-qwen3"]);
    expect(await page.evaluate((b) => window.shared.create(b), body)).toMatchObject({ text });
  });
}
