export { ApiError, toApiError, type ApiErrorBody, type ApiErrorType } from "./errors.js";
export { validateRequest } from "./validate.js";
export { normalizeRequest, DEFAULT_MAX_N } from "./normalize.js";
export { chatCompletionRequestSchema, REQUEST_FIELDS, type ChatCompletionRequest, type ParsedRequest } from "./request.js";
export type { ChatMessage, ToolCall } from "./messages.js";
export type { Tool, ToolChoice } from "./tools.js";
export type { StructuredConstraint, StructuredOptions, ResponseFormat } from "./structured.js";
export type { SamplingParams, TemplateParams, TemplateMessage, NormalizedRequest, NormalizeContext } from "./params.js";
export * from "./response.js";
