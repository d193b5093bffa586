/** Debian's Firefox ESR through puppeteer-core over WebDriver BiDi (Playwright needs its own patched build). */
import puppeteer, { type Page } from "puppeteer-core";
import { settled, unwrap, type Settled, waitReady, type BrowserSession, type Tab } from "./tab.js";

export async function launchFirefox(baseUrl: string): Promise<BrowserSession> {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr",
    headless: true,
    // WebGPU is off by default in Firefox ESR on Linux; with Mesa's lavapipe it runs on the CPU, with shader-f16.
    extraPrefsFirefox: { "dom.webgpu.enabled": true, "gfx.webgpu.ignore-blocklist": true },
  });
  const version = await browser.version();
  const tab = (page: Page): Tab => ({
    async goto(path, ready = true) {
      await page.goto(new URL(path, baseUrl).href);
      if (ready) await waitReady(this);
    },
    run: async (expression) => unwrap((await page.evaluate(settled(expression))) as Settled, expression),
    close: () => page.close(),
  });
  return {
    name: "firefox",
    version,
    async newTab() {
      const page = await browser.newPage();
      page.on("console", (m) => m.type() === "error" && console.error(`firefox console: ${m.text()}`));
      page.on("pageerror", (e) => console.error(`firefox pageerror: ${String(e)}`));
      return tab(page);
    },
    close: () => browser.close(),
  };
}
