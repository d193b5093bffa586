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
export type { ServedModel } from "./runners/remote/list.js";
/**
 * What an OpenAI-compatible server serves (its GET /models); see runners/remote/list.ts. Loaded on
 * first call, so the page's bundle carries no remote-runner code or zod until an app lists a server.
 */
export const listRemoteModels: typeof import("./runners/remote/list.js").listRemoteModels = async (...args) =>
  (await import("./runners/remote/list.js")).listRemoteModels(...args);
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
export { TINY_MODEL_ID } from "./models/record.js";
export type { ModelRecord, ModelSpec } from "./runners/registry.js";
export type { WebLLMModelRecord, ModelIntegrity } from "./runners/webllm/record.js";
export type { ReferenceRecord } from "./runners/reference/record.js";
export type { OnnxRecord } from "./runners/onnx/record.js";
export type { ScriptedRecord } from "./runners/scripted/record.js";
export type { ModelRunner } from "./runners/runner.js";
export type { LoadProgress, ProgressCallback } from "./models/progress.js";
export { CATALOG, type CatalogEntry } from "./runners/catalog.js";
// The reference runner on its own (README: a model's logits without the engine), with the errors its load throws.
export {
  ReferenceRunner,
  FetchError,
  SafetensorsError,
  type DecoderConfig,
  type ReferenceLoadOptions,
} from "./runners/reference/index.js";
