import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

/** A tab on the shared-engine harness page, in `context` (tabs of one context share one SharedWorker). */
export async function openTab(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  await page.goto("/test/browser/support/shared.html");
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  return page;
}

/** createEngine({ shared: true }) with the tiny model in each tab, all begun before any finishes loading. */
export async function startTabs(...tabs: Page[]) {
  for (const t of tabs) await t.evaluate(() => window.shared.begin());
  return Promise.all(tabs.map((t) => t.evaluate(() => window.shared.ready())));
}

/** Kill the context's shared workers the way a crash would: through DevTools, not through the page. */
export async function killSharedWorkers(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send("Target.getTargets");
  const workers = targetInfos.filter((t) => t.type === "shared_worker");
  for (const w of workers) await cdp.send("Target.closeTarget", { targetId: w.targetId });
  await cdp.detach();
  return workers.length;
}
