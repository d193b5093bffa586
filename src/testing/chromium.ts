/**
 * Chromium flags that give WebGPU without a GPU (SwiftShader's Vulkan), e.g. in CI:
 * Playwright `use: { launchOptions: { args: chromiumWebGpuArgs } }`. The reference CPU runner and
 * the scripted model need no WebGPU; web-llm models do.
 */
export const chromiumWebGpuArgs: readonly string[] = [
  "--enable-unsafe-swiftshader",
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
];
