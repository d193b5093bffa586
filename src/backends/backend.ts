import type { ChatCompletion, ChatCompletionChunk } from "../protocol/index.js";

/**
 * What answers `chat.completions` for a set of model ids: the in-worker `Engine` (local runners)
 * or a remote OpenAI-compatible server. The worker host routes each request to the backend that
 * serves its `model`, so the queue's request ids, `engine.fetch` and the client need no special
 * case for where a model lives.
 */
export interface Backend {
  /** Ids of the models this backend answers for now. */
  modelIds(): string[];
  /** Context window (tokens) of one of its models; undefined when the backend does not know it. */
  contextWindow(id: string): number | undefined;
  /** Non-streamed completion; rejects with an ApiError. */
  create(body: unknown, signal?: AbortSignal): Promise<ChatCompletion>;
  /** Validates before resolving, so a bad request rejects here rather than mid-stream. */
  stream(body: unknown, signal?: AbortSignal): Promise<AsyncGenerator<ChatCompletionChunk>>;
  /** Cancel a queued or running request by its request_id; false when none is active here. */
  cancel(requestId: string): boolean;
  /** Free what the backend holds (models, connections). */
  dispose(): Promise<void>;
}
