/** The demo app in every engine: load the tiny model, send a message, the answer streams in with its stats line. */
import { expect, test } from "vitest";
import { eachBrowser } from "./each-browser.js";
import { waitFor } from "./drivers/tab.js";

const text = (selector: string) => `(document.querySelector(${JSON.stringify(selector)})?.textContent ?? "")`;

eachBrowser("demo smoke test", (ctx) => {
  test("pick the tiny model, load, send: a streamed answer of max_tokens tokens; the storage panel never says 0 of 0", async () => {
    const tab = await ctx.session().newTab();
    await tab.goto("/", false);
    await waitFor(tab, `document.querySelector("#model")?.value === "tiny-random-qwen3"`);
    await tab.run(`document.querySelector("#load").click()`);
    await waitFor(tab, `${text("#load-status")} === "tiny-random-qwen3 is ready."`, 300_000, text("#load-status"));
    await tab.run(`(() => {
      document.querySelector("#settings summary").click();
      const set = (name, v) => { const i = document.querySelector('input[name="' + name + '"]'); i.value = v; i.dispatchEvent(new Event("input", { bubbles: true })); i.dispatchEvent(new Event("change", { bubbles: true })); };
      set("max_tokens", "12"); set("seed", "7");
      window.__states = [];
      new MutationObserver(() => {
        const t = document.querySelector("#transcript li.assistant:last-of-type .body")?.textContent ?? "";
        if (t && window.__states.at(-1) !== t) window.__states.push(t);
      }).observe(document.getElementById("transcript"), { subtree: true, childList: true, characterData: true });
      const box = document.querySelector("#message");
      box.value = "Hello there";
      box.dispatchEvent(new Event("input", { bubbles: true }));
      document.querySelector("#send").click();
    })()`);
    const stats = String(
      await waitFor(
        tab,
        `(${text("#transcript li.assistant .stats")}).includes("finish:") && ${text("#transcript li.assistant .stats")}`,
        120_000,
        `document.querySelector("#transcript")?.innerText`,
      ),
    );
    expect(stats).toMatch(/12 tokens, [\d.]+ tokens\/s/);
    expect(stats).toContain("finish: length");
    expect(await tab.run<number>("new Set(window.__states).size")).toBeGreaterThanOrEqual(3);
    expect(await tab.run<string>(text("#storage-summary"))).not.toMatch(/0\.0 MB used of 0\.0 MB/);
    await tab.close();
  }, 600_000); // a cold dev server compiles the demo's modules on first load: minutes on a loaded 2-core machine
});
