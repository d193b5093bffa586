import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./test/browser/support/chromium.js";

const port = Number(process.env.TEST_PORT ?? 5174);
export const previewPort = Number(process.env.PREVIEW_PORT ?? 4174);
// A production build made already (`.ci/run` sets it to its build step's .preview-dist/): served as is, not built again.
const prebuilt = process.env.PREVIEW_DIST;

export default defineConfig({
  testDir: "test/browser",
  timeout: 120_000,
  workers: 1,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: ".ci-out/browser.json" }]] : "list",
  use: { baseURL: `http://127.0.0.1:${port}`, launchOptions: chromiumLaunchOptions() },
  webServer: [
    {
      command: `npx vite --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}/test/browser/support/harness.html`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
    {
      // The production build, as `vite preview` serves it (service worker and all), for the offline test.
      command: prebuilt
        ? `npx vite preview --outDir ${prebuilt} --port ${previewPort} --strictPort`
        : `npx vite build --logLevel error --outDir .preview-dist && npx vite preview --outDir .preview-dist --port ${previewPort} --strictPort`,
      url: `http://127.0.0.1:${previewPort}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
  ],
});
