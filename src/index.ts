/** Public API: createEngine and what its calls take and return. */
export {
  createEngine,
  ChatEngine,
  defaultWorker,
  type CreateEngineOptions,
  type RequestOptions,
  type ModelCard,
} from "./client/engine.js";
export { ChatStream } from "./client/stream.js";
export type { FallbackEvent } from "./client/fallback.js";
export type { RemoteRecord } from "./runners/remote/record.js";
export {
  ModelCache,
  quotaSizes,
  type CachedModel,
  type CacheBackend,
  type QuotaSizes,
  type StorageEstimateInfo,
} from "./client/cache.js";
export { defaultSharedWorker } from "./client/shared-link.js";
export type { EngineWorker } from "./client/worker-link.js";
export type { SharedStatus } from "./worker/shared-protocol.js";
export { ApiError, type ApiErrorBody, type ApiErrorType } from "./protocol/errors.js";
export type { ChatCompletionRequest } from "./protocol/request.js";
export type { ChatCompletion, ChatCompletionChunk, CompletionUsage, TokenLogprob, ChoiceLogprobs } from "./protocol/response.js";
export type { ChatMessage, ToolCall } from "./protocol/messages.js";
export type { Tool, ToolChoice } from "./protocol/tools.js";
export { TINY_MODEL_ID, type ModelRecord, type ModelSpec } from "./runners/records.js";
export type { ModelRunner, LoadProgress, ProgressCallback } from "./runners/runner.js";
export {
  ReferenceRunner,
  ConfigError,
  FetchError,
  SafetensorsError,
  SafetensorsFile,
  encodeSafetensors,
  parseConfig,
  type DecoderConfig,
  type ReferenceLoadOptions,
} from "./runners/reference/index.js";
export { Prng } from "./engine/sampling/prng.js";
