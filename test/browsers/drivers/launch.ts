/** Start one of the three engines; which ones a run covers comes from BROWSERS (default: all three). */
import { launchChromium } from "./chromium.js";
import { launchFirefox } from "./firefox.js";
import { launchWebKit } from "./webkit.js";
import { BROWSER_NAMES, type BrowserName, type BrowserSession } from "./tab.js";

export function baseUrl(): string {
  return `http://127.0.0.1:${Number(process.env.CROSS_BROWSER_PORT ?? 5185)}`;
}

export function selectedBrowsers(): BrowserName[] {
  const asked = (process.env.BROWSERS ?? BROWSER_NAMES.join(",")).split(",").filter(Boolean);
  const unknown = asked.filter((b) => !(BROWSER_NAMES as readonly string[]).includes(b));
  if (unknown.length) throw new Error(`BROWSERS names ${unknown.join(", ")}; known: ${BROWSER_NAMES.join(", ")}`);
  return asked as BrowserName[];
}

export function launch(name: BrowserName, url = baseUrl()): Promise<BrowserSession> {
  return { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebKit }[name](url);
}
