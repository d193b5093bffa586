/** webgpu-chat-engine/testing: helpers for an app's own browser tests. */
export { chromiumWebGpuArgs } from "./chromium.js";
