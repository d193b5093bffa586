import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    globalSetup: ["test/unit/global-setup.ts"],
    // The engine's UMD wasm dependencies load in Node as CommonJS (test/node/umd-as-commonjs.mjs).
    execArgv: ["--import", "./test/node/register.mjs"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
