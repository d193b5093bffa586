import { ApiError } from "./errors.js";
import type { TemplateParams } from "./params.js";

/*
 * Errors the engine raises while carrying out a plan (templating, the context window, grammars,
 * sampling, the queue). They are worded here, beside the request rules, so every request field
 * name an error shows lives in src/protocol/ and the engine only reads the plan.
 */

/** The field a template error names: the request's own template, else the conversation it rendered. */
export function templateParam(t: Pick<TemplateParams, "chatTemplate">): "chat_template" | "messages" {
  return t.chatTemplate ? "chat_template" : "messages";
}

export function noChatTemplate(modelId: string): ApiError {
  return ApiError.invalid(
    "chat_template",
    `The model "${modelId}" has no chat template; pass one in chat_template.`,
    "missing_required_parameter",
  );
}

export function templateSyntaxError(param: string, line: number | null, message: string): ApiError {
  return ApiError.invalid(
    param,
    `The chat template does not parse${line ? ` (near line ${line})` : ""}: ${message}`,
    "invalid_template",
  );
}

export function templateRenderError(param: string, message: string): ApiError {
  return ApiError.invalid(param, `The chat template failed while rendering this conversation: ${message}`, "template_error");
}

export function templateTimeout(timeoutMs: number, steps: number): ApiError {
  return ApiError.invalid(
    "chat_template",
    `The chat template ran longer than ${timeoutMs} ms (limits.templateTimeoutMs); it was stopped after ${steps} steps.`,
    "template_timeout",
  );
}

export function templateTooLarge(chars: number, max: number): ApiError {
  return new ApiError({
    type: "request_too_large",
    message: `The chat template built a text of ${chars} characters, over the limit of ${max} (limits.maxTemplateChars).`,
    param: "messages",
    code: "prompt_too_large",
  });
}

export function cannotContinueFinalMessage(): ApiError {
  return ApiError.invalid(
    "continue_final_message",
    "The chat template does not render the final message's text as given, so it cannot be continued.",
  );
}

/** The tokenized prompt must leave room in the context window, and for max_tokens when it is set. */
export function checkPromptFits(promptTokens: number, maxTokens: number | null, contextWindow: number): void {
  if (promptTokens === 0) throw ApiError.invalid("messages", "The prompt is empty after templating.");
  if (promptTokens >= contextWindow) {
    throw new ApiError({
      type: "request_too_large",
      message: `The prompt has ${promptTokens} tokens; the model's context window is ${contextWindow}, which leaves no room to generate. Shorten the messages or set truncate_prompt_tokens.`,
      param: "messages",
      code: "context_length_exceeded",
    });
  }
  if (maxTokens !== null && promptTokens + maxTokens > contextWindow) {
    throw ApiError.invalid(
      "max_tokens",
      `The context window is ${contextWindow} tokens; the prompt has ${promptTokens} and max_tokens asks for ${maxTokens} more. Lower max_tokens to at most ${contextWindow - promptTokens}.`,
      "context_length_exceeded",
    );
  }
}

export function duplicateRequestId(requestId: string): ApiError {
  return new ApiError({
    type: "conflict_error",
    message: `A request with request_id "${requestId}" is already running or queued; use a unique id.`,
    param: "request_id",
    code: "duplicate_request_id",
  });
}

export function requestCancelled(requestId: string): ApiError {
  return new ApiError({
    type: "invalid_request_error",
    message: `request ${requestId} was cancelled`,
    param: "request_id",
    code: "cancelled",
  });
}

export function noGrammarBackend(param: string): ApiError {
  return ApiError.invalid(
    param,
    "This engine was built without a grammar backend, so it cannot constrain output.",
    "unsupported_parameter",
  );
}

/** A registered logits processor's factory threw on the arguments the request gave it. */
export function processorRefused(index: number, name: string, reason: string): ApiError {
  return ApiError.invalid(`logits_processors.${index}`, `The logits processor "${name}" refused its arguments: ${reason}`);
}

/** Every token was ruled out: the request's own constraints contradict each other at this step. */
export function nothingToSample(): ApiError {
  return ApiError.invalid(
    null,
    "Every token is ruled out at this step: allowed_token_ids, bad_words, logit_bias, min_tokens and the output grammar together leave nothing to sample (a grammar that has ended allows only end-of-sequence tokens). Loosen one of them.",
    "no_token_possible",
  );
}
