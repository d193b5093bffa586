import { test as base, expect, type Page } from "@playwright/test";

/** A page on the harness, ready to call window.harness. */
export const test = base.extend<{ harness: Page }>({
  harness: async ({ page }, use) => {
    page.on("pageerror", (e) => console.error("pageerror:", e.message));
    await page.goto("/test/browser/support/harness.html");
    await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
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
