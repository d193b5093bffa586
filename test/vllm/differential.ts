/** Runs a corpus against one vLLM server and the engine in one page: a Playwright test per case. */
import { expect, test, type Page } from "@playwright/test";
import { call, openaiClient, type Outcome } from "./call.js";
import { diffOutcomes } from "./compare.js";
import type { Case, Seen } from "./corpus.js";
import { base, bodyOf, seenOf } from "./corpus.js";
import { waitReady, type Server } from "./servers.js";

import type {} from "./page.js"; // window.vllmPage

function status(o: Outcome): number | "ok" {
  return o.kind === "error" ? (o.status ?? 0) : "ok";
}

export function differentialSuite(title: string, server: Server, corpus: Case[], prepare?: () => void): void {
  test.describe(title, () => {
    // Not serial: a case that differs must not stop the others (its worker restarts, beforeAll runs again).
    const vllm = openaiClient(`${server.url}/v1`, server.apiKey);
    let page: Page;
    let seen: Seen;

    test.beforeAll(async ({ browser }) => {
      test.setTimeout(1_200_000);
      prepare?.();
      await waitReady(server);
      page = await browser.newPage();
      page.on("pageerror", (e) => console.error("pageerror:", e.message));
      page.on("console", (m) => {
        if (m.type() === "error") console.error("console:", m.text());
      });
      await page.goto("/test/vllm/page.html");
      await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
      await page.evaluate((r) => window.vllmPage.start(r), server.record);
      seen = seenOf(await call(vllm, { ...base, model: server.record.model_id, return_token_ids: true }));
    });
    test.afterAll(() => page?.close());

    for (const c of corpus)
      test(c.name, async () => {
        // docs/vllm-compatibility.md, "Open differences": expected to differ until closed.
        test.fail(c.open !== undefined, c.open);
        const body = bodyOf(c, seen, server.record.model_id);
        const theirs = await call(vllm, body);
        const ours = await page.evaluate((b) => window.vllmPage.send(b), body);
        if (c.kept) {
          // docs/vllm-compatibility.md, "<section>": this difference is kept on purpose.
          expect({ vllm: status(theirs), ours: status(ours) }, c.kept.section).toEqual({
            vllm: c.kept.vllmStatus,
            ours: c.kept.oursStatus,
          });
          if (c.kept.param && ours.kind === "error") expect(ours.param).toBe(c.kept.param);
          return;
        }
        const diffs = diffOutcomes(theirs, ours);
        const listing = diffs.map((d) =>
          `${d.path}: vLLM ${JSON.stringify(d.vllm)} / ours ${JSON.stringify(d.ours)}`.slice(0, 400),
        );
        expect(listing, `request ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
      });
  });
}
