/**
 * The remote-backend suite against live vLLM: RemoteBackend in Node (backend.spec.ts, faults.spec.ts)
 * and the engine in Chromium with a remote model and a fallback (page.spec.ts). Needs the shared
 * tiny vLLM (.ci/run starts it with --api-key) and starts one vLLM of its own for faults.spec.ts.
 */
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "../browser/support/chromium.js";

const port = Number(process.env.TEST_PORT ?? 5174);

export default defineConfig({
  testDir: ".",
  timeout: 180_000,
  workers: 1,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "../../.ci-out/remote.json" }]] : "list",
  use: { baseURL: `http://127.0.0.1:${port}`, launchOptions: chromiumLaunchOptions() },
  webServer: {
    command: `npx vite --config test/remote/vite.config.ts --port ${port} --strictPort`,
    cwd: "../..",
    url: `http://127.0.0.1:${port}/test/remote/page.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
