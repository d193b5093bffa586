/**
 * Regression (issue 34): with `worker.format: "es"`, lazy chunks imported from the worker's entry chunk,
 * and WebKit runs a module worker's entry again when a chunk imports it: a second, empty engine
 * answered, so after an ONNX load (a lazy chunk) every request got 404 model_not_found, and a second
 * tab on the shared worker did too. The pages here are a production build with that setting.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { baseUrl } from "./drivers/launch.js";
import { eachBrowser } from "./each-browser.js";
import { serveBuiltPages } from "./built-app.js";

let built: Awaited<ReturnType<typeof serveBuiltPages>> | undefined;
beforeAll(async () => {
  built = await serveBuiltPages(Number(new URL(baseUrl()).port) + 2);
}, 600_000);
afterAll(() => built?.close());
const url = () => {
  if (!built) throw new Error("the production build of the test pages failed (see beforeAll)");
  return built.url;
};

const ask = { messages: [{ role: "user", content: "Hello" }], max_tokens: 4, ignore_eos: true, seed: 1 };

eachBrowser("production worker chunks", (ctx) => {
  test("the engine worker answers after loading an ONNX model (its runner is a lazy chunk)", async () => {
    const tab = await ctx.session().newTab();
    await tab.goto(`${url()}/test/browser/support/onnx.html`);
    const record = {
      model_id: "tiny-onnx-qwen3",
      model: "/test/fixtures/onnx/tiny-random-qwen3/",
      runner: "onnx",
      dtype: "fp32",
      device: "wasm",
    };
    expect(await tab.run(`window.onnx.engine.load(${JSON.stringify(record)}).then((r) => r.loaded ?? r)`)).toEqual([
      "tiny-onnx-qwen3",
    ]);
    const r = await tab.run<{ usage?: { completion_tokens: number }; error?: unknown }>(
      `window.onnx.engine.create(${JSON.stringify({ ...ask, model: "tiny-onnx-qwen3" })})`,
    );
    expect(r.error).toBeUndefined();
    expect(r.usage?.completion_tokens).toBe(4);
    await tab.close();
  });

  test("a second tab on the shared worker gets answers from the one loaded engine", async () => {
    const [a, b] = [await ctx.session().newTab(), await ctx.session().newTab()];
    for (const t of [a, b]) await t.goto(`${url()}/test/browser/support/shared.html`);
    for (const t of [a, b]) await t.run("window.shared.begin()");
    const ready = [
      await a.run<{ mode: string }>("window.shared.ready()"),
      await b.run<{ mode: string }>("window.shared.ready()"),
    ];
    expect(ready.map((r) => r.mode)).toEqual(["shared", "shared"]);
    type Answer = { text?: string; finish?: string };
    const ra = await a.run<Answer>(`window.shared.create(${JSON.stringify(ask)})`);
    const rb = await b.run<Answer>(`window.shared.create(${JSON.stringify(ask)})`);
    expect(typeof ra.text).toBe("string");
    expect({ text: rb.text, finish: rb.finish }).toEqual({ text: ra.text, finish: "length" });
    expect(await b.run("window.shared.status()")).toMatchObject({ tabs: 2, loads: 1 });
    await a.close();
    await b.close();
  });
});
