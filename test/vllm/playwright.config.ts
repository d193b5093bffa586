/**
 * The differential suite: each request of corpus.ts to live vLLM (Node, openai client) and to the
 * engine in Chromium (openai client on engine.fetch), compared field by field. Needs the vLLM
 * servers of servers.ts running; a server that is missing fails the suite, never skips it.
 */
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "../browser/support/chromium.js";

const port = Number(process.env.TEST_PORT ?? 5174);

export default defineConfig({
  testDir: ".",
  timeout: 300_000,
  workers: 1,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "../../.ci-out/vllm.json" }]] : "list",
  use: { baseURL: `http://127.0.0.1:${port}`, launchOptions: chromiumLaunchOptions() },
  webServer: {
    command: `npx vite --config test/vllm/vite.config.ts --port ${port} --strictPort`,
    cwd: "../..",
    url: `http://127.0.0.1:${port}/test/vllm/page.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
