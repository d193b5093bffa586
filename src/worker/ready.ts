/** What the worker posts once its module has loaded; Comlink ignores messages without an id. */
export const READY_MESSAGE = "webgpu-chat-engine:ready";
