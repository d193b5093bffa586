/** webgpu-chat-engine/testing: for an app's own browser tests (Playwright, Vitest browser mode). */
export { chromiumWebGpuArgs } from "./chromium.js";
export { scriptedModel, useScriptedModel, type ScriptedModelOptions, type PageWithInitScript } from "./scripted.js";
export type { ModelScript, ScriptedReply, ScriptedToolCall } from "../runners/scripted/script.js";
