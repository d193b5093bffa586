import type { ChatCompletionChunk } from "../../../src/protocol/response.js";

/** A content delta chunk of the size the engine streams (one token of text). */
export function sampleChunk(i: number): ChatCompletionChunk {
  return {
    id: "chatcmpl-0123456789abcdef0123456789abcdef",
    object: "chat.completion.chunk",
    created: 1_790_000_000,
    model: "tiny-random-qwen3",
    system_fingerprint: "webgpu-chat-engine-0.1",
    choices: [{ index: 0, delta: { content: ` tok${i}` }, logprobs: null, finish_reason: null }],
    usage: null,
  } as ChatCompletionChunk;
}
