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
