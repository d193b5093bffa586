import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { openWithTinyModel } from "./support/demo-page.js";

/**
 * The demo's main views at 1280 and 360 px, light and dark: no axe violation of any impact,
 * and a screenshot of each (SCREENSHOTS=docs writes the README's copies under docs/screenshots).
 */
const VIEWS = [
  { name: "wide-light", width: 1280, height: 900, scheme: "light" },
  { name: "wide-dark", width: 1280, height: 900, scheme: "dark" },
  { name: "narrow-light", width: 360, height: 780, scheme: "light" },
  { name: "narrow-dark", width: 360, height: 780, scheme: "dark" },
] as const;

async function axeViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const shotDir = process.env.SCREENSHOTS === "docs" ? "docs/screenshots" : "test-results/screenshots";

for (const v of VIEWS) {
  test(`demo view ${v.name}: empty state, then the scripted conversation; no axe violation`, async ({ page }) => {
    await page.setViewportSize({ width: v.width, height: v.height });
    await page.emulateMedia({ colorScheme: v.scheme });
    await page.goto("/");
    await expect(page.locator("#empty")).toBeVisible();
    await expect(page.locator("#storage-summary")).toContainText("used of");
    expect(await axeViolations(page)).toEqual([]);
    await openWithTinyModel(page);
    await page.getByRole("button", { name: "Play a scripted demo conversation" }).click();
    await expect(page.locator("#transcript li.assistant .stats").last()).toContainText("scripted", { timeout: 20_000 });
    await expect(page.locator("#empty")).toBeHidden();
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    if (v.width > 600) {
      await page.locator("#transcript .token").nth(5).hover();
    } else {
      // Narrow: the top of the page: the header, then the chat (the model and storage panels follow).
      await page.evaluate(() => window.scrollTo(0, 0));
    }
    await page.screenshot({ path: `${shotDir}/demo-${v.name}.png` });
  });
}
