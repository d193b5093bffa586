import { test as base, expect, type Page } from "@playwright/test";

async function openHarness(page: Page): Promise<Page> {
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  await page.goto("/test/browser/support/harness.html");
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  return page;
}

/**
 * The harness pages kept for a spec file (fileHarnessTest). Declared on both `test` objects, so specs
 * using either share a Playwright worker (the worker hash covers worker fixtures only): unused, it
 * costs nothing.
 */
const withHarnessPages = base.extend<object, { harnessPages: Map<string, Page> }>({
  harnessPages: [
    async ({}, use) => {
      const pages = new Map<string, Page>();
      await use(pages);
      for (const p of pages.values()) await p.context().close();
    },
    { scope: "worker" },
  ],
});

/** A page on the harness, ready to call window.harness: a new one for each test. */
export const test = withHarnessPages.extend<{ harness: Page }>({
  harness: async ({ page }, use) => {
    await use(await openHarness(page));
  },
});

/**
 * The same `harness`, but one page for all the tests of a spec file: its engine loads the tiny model
 * once (about 5 s a test on the CI machine). For specs whose tests only send requests and need no
 * fresh engine (no counts of cached prefix tokens, queue or worker state left by an earlier test).
 * The page closes when the worker moves on to another file; a failed test restarts the worker, so
 * the test after it gets a new page.
 */
export const fileHarnessTest = withHarnessPages.extend<{ harness: Page }>({
  harness: async ({ browser, harnessPages }, use, testInfo) => {
    let page = harnessPages.get(testInfo.file);
    if (!page) {
      for (const [file, p] of harnessPages) {
        harnessPages.delete(file);
        await p.context().close();
      }
      page = await openHarness(await browser.newPage());
      harnessPages.set(testInfo.file, page);
    }
    await use(page);
  },
});
export { expect };

/** One page on client.html for a whole spec file (the engine it starts loads the model once). */
export const clientTest = base.extend<object, { client: Page }>({
  client: [
    async ({ browser }, use) => {
      const page = await browser.newPage();
      page.on("pageerror", (e) => console.error("pageerror:", e.message));
      await page.goto("/test/browser/support/client.html");
      await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
      await use(page);
      await page.close();
    },
    { scope: "worker" },
  ],
});
