/** Run a block of cases once per selected browser engine, on one browser session per block. */
import { afterAll, beforeAll, describe } from "vitest";
import { launch, selectedBrowsers } from "./drivers/launch.js";
import type { BrowserName, BrowserSession, Tab } from "./drivers/tab.js";

export interface BrowserContext {
  session(): BrowserSession;
  /** One tab on `path` (waiting for data-ready), opened on first use and kept for the block. */
  tab(path: string): Promise<Tab>;
}

export function eachBrowser(
  title: string,
  body: (ctx: BrowserContext, name: BrowserName) => void,
  only: readonly BrowserName[] = ["chromium", "firefox", "webkit"],
): void {
  const names = selectedBrowsers().filter((n) => only.includes(n));
  if (!names.length) return;
  describe.each(names)(`%s: ${title}`, (name) => {
    let session: BrowserSession | undefined;
    const tabs = new Map<string, Promise<Tab>>();
    let failure: unknown;
    // A browser that does not start fails each case with the reason (not a hook error the report may skip).
    beforeAll(async () => {
      try {
        session = await launch(name);
        console.log(`${name} ${session.version}`);
      } catch (e) {
        failure = e;
        console.error(`${name} did not start: ${String(e)}`);
      }
    });
    afterAll(async () => {
      await session?.close();
    });
    const ctx: BrowserContext = {
      session() {
        if (!session) throw new Error(`${name} did not start: ${String(failure)}`);
        return session;
      },
      tab(path) {
        let t = tabs.get(path);
        if (!t) {
          t = ctx
            .session()
            .newTab()
            .then(async (tab) => (await tab.goto(path), tab));
          tabs.set(path, t);
        }
        return t;
      },
    };
    body(ctx, name);
  });
}
