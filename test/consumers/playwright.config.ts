/**
 * The consumer apps made by prepare.ts, each served as its user would: Vite's dev server, Vite's
 * preview of its build, and a static server for the webpack and esbuild builds and the Vite build
 * of the git-dependency install.
 *   tsx test/consumers/prepare.ts && playwright test -c test/consumers/playwright.config.ts
 */
import { defineConfig } from "@playwright/test";
import { join } from "node:path";
import { chromiumLaunchOptions } from "../browser/support/chromium.js";
import { bin, CONSUMERS_DIR, MODELS_DIR, PORTS } from "./paths.js";

const host = "127.0.0.1";
const serveStatic = (app: string, port: number) => ({
  command: `npx tsx serve.ts ${join(CONSUMERS_DIR, app)} ${port} ${MODELS_DIR}`,
  url: `http://${host}:${port}/`,
  reuseExistingServer: false,
});

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  timeout: 120_000,
  workers: 1,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "../../.ci-out/consumers.json" }]] : "list",
  use: { launchOptions: chromiumLaunchOptions() },
  webServer: [
    {
      command: `node ${bin("vite", "bin/vite.js")} --host ${host} --port ${PORTS.viteDev} --strictPort`,
      cwd: join(CONSUMERS_DIR, "vite"),
      url: `http://${host}:${PORTS.viteDev}/`,
      reuseExistingServer: false,
    },
    {
      command: `node ${bin("vite", "bin/vite.js")} preview --host ${host} --port ${PORTS.vitePreview} --strictPort`,
      cwd: join(CONSUMERS_DIR, "vite"),
      url: `http://${host}:${PORTS.vitePreview}/`,
      reuseExistingServer: false,
    },
    serveStatic("webpack", PORTS.webpack),
    serveStatic("esbuild", PORTS.esbuild),
    serveStatic("git/dist", PORTS.git),
  ],
});
