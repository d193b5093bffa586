/**
 * The cross-browser suite's servers: Vite's dev server on the test pages (as Playwright's suite uses),
 * and an Xvfb display for WebKit's MiniBrowser when no DISPLAY is set.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type ViteDevServer } from "vite";
import { baseUrl, selectedBrowsers } from "./drivers/launch.js";

let vite: ViteDevServer | undefined;
let xvfb: ChildProcess | undefined;

export async function setup(): Promise<void> {
  if (!existsSync("public/models/tiny-random-qwen3/model.safetensors"))
    throw new Error("the tiny model is missing: run `npx tsx test/fixtures/make-tiny-model.ts` first");
  const port = Number(new URL(baseUrl()).port);
  vite = await createServer({ server: { port, strictPort: true, host: "127.0.0.1" }, logLevel: "warn" });
  await vite.listen();
  if (selectedBrowsers().includes("webkit") && !process.env.DISPLAY) {
    const display = process.env.XVFB_DISPLAY ?? ":99";
    xvfb = spawn("Xvfb", [display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], { stdio: "ignore" });
    xvfb.on("error", (e) => console.error(`Xvfb did not start (${String(e)}); install Debian's xvfb`));
    process.env.DISPLAY = display;
    await new Promise((r) => setTimeout(r, 1000)); // Xvfb has no readiness signal; a second is plenty here
  }
}

export async function teardown(): Promise<void> {
  await vite?.close();
  xvfb?.kill();
}
