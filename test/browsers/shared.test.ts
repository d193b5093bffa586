/** createEngine({ shared: true }) in two tabs of every engine: one SharedWorker, one load, the same seeded answers. */
import { expect, test } from "vitest";
import { eachBrowser } from "./each-browser.js";

const PAGE = "/test/browser/support/shared.html";
const ask = (content: string, seed: number) => ({
  messages: [{ role: "user", content }],
  seed,
  temperature: 0.9,
  max_tokens: 12,
  ignore_eos: true,
});

eachBrowser("SharedWorker across two tabs", (ctx) => {
  test("the second tab joins the first one's load; each tab's seeded stream equals the other's run of it", async () => {
    const [a, b] = [await ctx.session().newTab(), await ctx.session().newTab()];
    for (const t of [a, b]) await t.goto(PAGE);
    for (const t of [a, b]) await t.run("window.shared.begin()"); // both begun before either finished loading
    const ra = await a.run<{ mode: string; stages: string[] }>("window.shared.ready()");
    const rb = await b.run<{ mode: string; status: unknown }>("window.shared.ready()");
    expect(ra.mode).toBe("shared");
    expect(rb.mode).toBe("shared");
    expect(ra.stages).toContain("ready");
    expect(rb.status).toMatchObject({ tabs: 2, loads: 1, models: ["tiny-random-qwen3"] });
    const [paris, rome] = [ask("Tell me about Paris.", 7), ask("Tell me about Rome.", 8)];
    const inA = await a.run<{ text: string; finish: string }>(`window.shared.stream(${JSON.stringify(paris)})`);
    const inB = await b.run<{ text: string; finish: string }>(`window.shared.stream(${JSON.stringify(rome)})`);
    expect(inA.finish).toBe("length");
    const answer = (r: { text: string; finish: string }) => ({ text: r.text, finish: r.finish }); // ids differ per request
    expect(answer(await b.run(`window.shared.stream(${JSON.stringify(paris)})`))).toEqual(answer(inA));
    expect(answer(await a.run(`window.shared.stream(${JSON.stringify(rome)})`))).toEqual(answer(inB));
    expect(inA.text).not.toBe(inB.text);
    expect(await a.run("window.shared.status()")).toMatchObject({ tabs: 2, loads: 1, queued: 0 });
    await a.close();
    await b.close();
  });
});
