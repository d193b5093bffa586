/** Debian's Chromium through Playwright, as the Playwright suite runs it (WebGPU on SwiftShader). */
import { chromium, type Page } from "@playwright/test";
import { chromiumLaunchOptions } from "../../browser/support/chromium.js";
import { settled, unwrap, waitReady, type BrowserSession, type Tab } from "./tab.js";

export async function launchChromium(baseUrl: string): Promise<BrowserSession> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  const context = await browser.newContext();
  const tab = (page: Page): Tab => ({
    async goto(path, ready = true) {
      await page.goto(new URL(path, baseUrl).href);
      if (ready) await waitReady(this);
    },
    run: async (expression) => unwrap(await page.evaluate(settled(expression)), expression),
    close: () => page.close(),
  });
  return {
    name: "chromium",
    version: browser.version(),
    async newTab() {
      const page = await context.newPage();
      page.on("pageerror", (e) => console.error(`chromium pageerror: ${e.message}`));
      return tab(page);
    },
    close: () => browser.close(),
  };
}
