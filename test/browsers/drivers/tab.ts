/** What every cross-browser case drives: tabs of one browser that run page-side JavaScript. */
export interface Tab {
  /** Open a path of the test server (or an absolute URL) and wait for `body[data-ready=true]` when `ready`. */
  goto(path: string, ready?: boolean): Promise<void>;
  /** Evaluate a JavaScript expression in the page (awaited when it is a promise); the result as JSON data. */
  run<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

export interface BrowserSession {
  readonly name: BrowserName;
  /** The browser's own version string, for the support matrix. */
  readonly version: string;
  /** A new tab in the same profile (tabs share one SharedWorker per origin). */
  newTab(): Promise<Tab>;
  close(): Promise<void>;
}

export const BROWSER_NAMES = ["chromium", "firefox", "webkit"] as const;
export type BrowserName = (typeof BROWSER_NAMES)[number];

/** The expression wrapped so it resolves to {ok} or {err} (drivers differ in how they report page errors). */
export function settled(expression: string): string {
  return `Promise.resolve().then(() => (${expression})).then((ok) => ({ ok: ok === undefined ? null : ok }), (e) => ({ err: String((e && e.stack) || e) }))`;
}

/** What a settled() expression resolves to. */
export type Settled = { ok?: unknown; err?: string };

export function unwrap<T>(r: Settled, expression: string): T {
  if (r.err !== undefined) throw new Error(`in the page: ${expression.slice(0, 120)}\n${r.err}`);
  return r.ok as T;
}

/** Poll `ready` in the page until it is true (a page load is not done when the driver says so). */
export async function waitReady(tab: Pick<Tab, "run">, timeoutMs = 60_000): Promise<void> {
  await waitFor(tab, `document.body && document.body.dataset.ready === "true"`, timeoutMs);
}

/** Poll a page expression until it is truthy; fail naming it (and what `show` evaluates to then) after `timeoutMs`. */
export async function waitFor(tab: Pick<Tab, "run">, expression: string, timeoutMs = 60_000, show?: string): Promise<unknown> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await tab.run<unknown>(expression).catch(() => null);
    if (v) return v;
    if (Date.now() > end) {
      const seen = show ? `; ${show} is ${JSON.stringify(await tab.run(show).catch(String))}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}${seen}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
