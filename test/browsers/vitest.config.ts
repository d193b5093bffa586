import { defineConfig } from "vitest/config";

// The cross-browser suite: the same cases in Chromium (Playwright), Firefox (puppeteer-core, WebDriver BiDi)
// and WebKit (selenium-webdriver, WebKitWebDriver). One file at a time: each drives whole browsers.
export default defineConfig({
  test: {
    include: ["test/browsers/**/*.test.ts"],
    globalSetup: ["test/browsers/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
