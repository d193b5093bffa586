/**
 * WebKitGTK's MiniBrowser through WebKitWebDriver (Debian webkit2gtk-driver) and selenium-webdriver.
 * It needs a display (Xvfb, started by the suite's global setup): with --headless session creation hangs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Builder, Capabilities, type WebDriver } from "selenium-webdriver";
import { settled, unwrap, waitReady, type BrowserSession, type Tab } from "./tab.js";

const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const SESSION_TIMEOUT_MS = 60_000;
const SCRIPT_TIMEOUT_MS = 170_000;

async function startDriver(port: number): Promise<ChildProcess> {
  const driver = spawn(process.env.WEBKIT_DRIVER_PATH ?? "WebKitWebDriver", [`--port=${port}`], { stdio: "ignore" });
  const failed = once(driver, "error").then(([e]) => {
    throw new Error(`WebKitWebDriver did not start (${String(e)}); install Debian's webkit2gtk-driver`);
  });
  const end = Date.now() + 20_000;
  for (;;) {
    const up = fetch(`http://127.0.0.1:${port}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (await Promise.race([up, failed])) return driver;
    if (Date.now() > end) {
      driver.kill();
      throw new Error(`WebKitWebDriver on port ${port} did not answer /status within 20 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Selenium runs one script at a time in the focused window: calls are serialized and focus the tab first. */
function serializer() {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const next = last.then(job, job);
    last = next.catch(() => undefined);
    return next;
  };
}

export async function launchWebKit(baseUrl: string): Promise<BrowserSession> {
  const port = Number(process.env.WEBKIT_DRIVER_PORT ?? 4445);
  const server = await startDriver(port);
  const caps = new Capabilities({
    browserName: "MiniBrowser",
    "webkitgtk:browserOptions": { binary: process.env.MINIBROWSER_PATH ?? MINIBROWSER, args: ["--automation"] },
  });
  let driver: WebDriver;
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`WebKit session not created within ${SESSION_TIMEOUT_MS} ms (is DISPLAY set to a running Xvfb?)`)),
        SESSION_TIMEOUT_MS,
      );
    });
    driver = await Promise.race([new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities(caps).build(), timeout]);
    clearTimeout(timer);
    await driver.manage().setTimeouts({ script: SCRIPT_TIMEOUT_MS, pageLoad: 60_000 });
  } catch (e) {
    server.kill();
    throw e;
  }
  const version = String((await driver.getCapabilities()).get("browserVersion"));
  const serial = serializer();
  let first: string | null = await driver.getWindowHandle();
  const tab = (handle: string): Tab => {
    const focused = <T>(job: () => Promise<T>) =>
      serial(async () => {
        await driver.switchTo().window(handle);
        return job();
      });
    return {
      async goto(path, ready = true) {
        await focused(() => driver.get(new URL(path, baseUrl).href));
        if (ready) await waitReady(this);
      },
      run: (expression) =>
        focused(async () => {
          const script = `const done = arguments[arguments.length - 1]; ${settled(expression)}.then(done);`;
          return unwrap(await driver.executeAsyncScript(script), expression);
        }),
      close: () =>
        focused(async () => {
          // Closing the session's last window ends the session: keep it, blank, as the next tab.
          if ((await driver.getAllWindowHandles()).length > 1) return driver.close();
          await driver.get("about:blank");
          first = handle;
        }),
    };
  };
  return {
    name: "webkit",
    version,
    async newTab() {
      if (first !== null) {
        const handle = first; // the session's own window is the first tab
        first = null;
        return tab(handle);
      }
      const handle = await serial(async () => {
        await driver.switchTo().newWindow("tab"); // and focuses it
        return driver.getWindowHandle();
      });
      return tab(handle);
    },
    async close() {
      await driver.quit().catch(() => undefined);
      server.kill();
      await once(server, "exit").catch(() => undefined);
    },
  };
}
