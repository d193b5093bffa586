import type { LaunchOptions } from "@playwright/test";

/** Debian's Chromium with WebGPU on SwiftShader (no GPU here); never a downloaded browser. */
export function chromiumLaunchOptions(): LaunchOptions {
  return {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--enable-unsafe-swiftshader",
      "--enable-unsafe-webgpu",
      "--enable-features=Vulkan",
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      // Extra flags for experiments, e.g. BROWSER_EXTRA_ARGS="--js-flags=--no-liftoff" (V8's wasm tiers).
      ...(process.env.BROWSER_EXTRA_ARGS?.split(" ").filter(Boolean) ?? []),
    ],
  };
}
