import { ApiError } from "./errors.js";
import { issueToApiError } from "./issues.js";
import { checkRequestShape, DEFAULT_LIMITS, type EngineLimits } from "./limits.js";
import { chatCompletionRequestSchema, REQUEST_FIELDS, type ParsedRequest } from "./request.js";
import { structuredSources } from "./structured-sources.js";

/**
 * Check a request body against the schema and the cross-field rules; throws ApiError (400) naming
 * the field. Model-dependent checks (model id, context window, vocabulary) are in normalize.ts.
 */
export function validateRequest(body: unknown, limits: EngineLimits = DEFAULT_LIMITS): ParsedRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw ApiError.invalid(
      null,
      `The request must be a JSON object with "messages", got ${Array.isArray(body) ? "an array" : body === null ? "null" : typeof body}.`,
      "invalid_type",
    );
  }
  checkRequestShape(body, limits);
  const r = chatCompletionRequestSchema.safeParse(mergeExtraBody(body as Record<string, unknown>), { reportInput: true });
  if (!r.success) throw issueToApiError(r.error.issues, REQUEST_FIELDS);
  checkCrossFieldRules(r.data);
  if (r.data.messages.length > limits.maxMessages) {
    throw new ApiError({
      type: "request_too_large",
      message: `The conversation has ${r.data.messages.length} messages; the limit is ${limits.maxMessages} (limits.maxMessages). Drop or summarize older ones.`,
      param: "messages",
      code: "too_many_messages",
    });
  }
  return r.data;
}

/** `extra_body: {top_k: 5}` (how OpenAI SDKs pass vLLM fields) is merged into the top level. */
function mergeExtraBody(body: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(body, "extra_body")) return body;
  const { extra_body: extra, ...rest } = body;
  if (extra === null || extra === undefined) return rest;
  if (typeof extra !== "object" || Array.isArray(extra))
    throw ApiError.invalid("extra_body", `"extra_body" must be an object of request fields.`, "invalid_type");
  for (const key of Object.keys(extra)) {
    if (Object.hasOwn(rest, key)) {
      throw ApiError.invalid(
        `extra_body.${key}`,
        `"${key}" is set both at the top level and in extra_body; set it once.`,
        "conflicting_parameters",
      );
    }
  }
  return { ...rest, ...(extra as Record<string, unknown>) };
}

function checkCrossFieldRules(req: ParsedRequest): void {
  const fail = (param: string, message: string, code = "invalid_value"): never => {
    throw ApiError.invalid(param, message, code);
  };
  if (req.add_generation_prompt === true && req.continue_final_message === true) {
    fail(
      "continue_final_message",
      "continue_final_message and add_generation_prompt cannot both be true: set add_generation_prompt to false to continue the last message.",
      "conflicting_parameters",
    );
  }
  if (req.continue_final_message && req.messages.at(-1)!.role !== "assistant") {
    fail(
      "continue_final_message",
      `continue_final_message needs the last message to be an assistant message to continue; it is a ${req.messages.at(-1)!.role} message.`,
    );
  }
  if (req.echo && req.messages.at(-1)!.role !== "assistant") {
    fail(
      "echo",
      `echo repeats the last message when it is an assistant message being continued; the last message is a ${req.messages.at(-1)!.role} message. Add the assistant prefix as the last message or drop echo.`,
    );
  }
  if ((req.top_logprobs ?? 0) > 0 && !req.logprobs) {
    fail("top_logprobs", "top_logprobs needs logprobs: true.");
  }
  if (req.stream_options && !req.stream) {
    fail("stream_options", "stream_options is only allowed when stream is true.");
  }
  if (req.prompt_logprobs != null && req.stream) {
    fail(
      "prompt_logprobs",
      "prompt_logprobs is not available when stream is true (as in vLLM); drop one of them.",
      "conflicting_parameters",
    );
  }
  checkTools(req, fail);
  checkMessages(req, fail);
  const structured = structuredSources(req).source; // throws on a conflict between sources
  const choice = req.tool_choice;
  if (structured && (choice === "required" || (typeof choice === "object" && choice))) {
    fail(
      structured.param,
      `tool_choice ${JSON.stringify(choice)} is enforced with a grammar of its own, so it cannot be combined with ${structured.param}; drop one.`,
      "conflicting_parameters",
    );
  }
  if (req.response_format?.type === "json_schema" && !req.response_format.json_schema) {
    fail(
      "response_format.json_schema",
      'response_format of type "json_schema" needs a json_schema object: {"name": ..., "schema": {...}}.',
      "missing_required_parameter",
    );
  }
  if (req.min_tokens != null) {
    const max = req.max_completion_tokens ?? req.max_tokens;
    if (max != null && req.min_tokens > max)
      fail("min_tokens", `min_tokens (${req.min_tokens}) must not exceed max_tokens (${max}).`);
  }
  const rd = req.repetition_detection;
  if (rd && rd.min_pattern_size > rd.max_pattern_size) {
    fail(
      "repetition_detection.min_pattern_size",
      `min_pattern_size (${rd.min_pattern_size}) must not exceed max_pattern_size (${rd.max_pattern_size}).`,
    );
  }
}

function checkTools(req: ParsedRequest, fail: (param: string, message: string, code?: string) => never): void {
  const names = (req.tools ?? []).map((t) => t.function.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) fail(`tools.${names.lastIndexOf(dup)}.function.name`, `Two tools are named "${dup}"; tool names must be unique.`);
  const choice = req.tool_choice;
  if (choice && choice !== "none" && names.length === 0) {
    fail("tool_choice", `tool_choice ${JSON.stringify(choice)} needs tools; add tools or set tool_choice to "none".`);
  }
  if (typeof choice === "object" && choice && !names.includes(choice.function.name)) {
    fail(
      "tool_choice.function.name",
      `tool_choice names "${choice.function.name}", which is not among the tools: ${names.map((n) => `"${n}"`).join(", ")}.`,
    );
  }
}

function checkMessages(req: ParsedRequest, fail: (param: string, message: string, code?: string) => never): void {
  const callIds = new Set<string>();
  req.messages.forEach((m, i) => {
    if (m.role === "assistant") {
      if (
        (m.content == null || m.content === "") &&
        !m.tool_calls?.length &&
        !m.reasoning_content &&
        !m.reasoning &&
        i < req.messages.length - 1
      ) {
        fail(
          `messages.${i}.content`,
          `messages.${i} is an assistant message with neither content nor tool_calls.`,
          "missing_required_parameter",
        );
      }
      for (const c of m.tool_calls ?? []) callIds.add(c.id);
    }
    if (m.role === "tool" && !callIds.has(m.tool_call_id)) {
      const known = [...callIds].map((id) => `"${id}"`).join(", ");
      fail(
        `messages.${i}.tool_call_id`,
        `messages.${i}.tool_call_id "${m.tool_call_id}" answers no earlier assistant tool call${known ? `; known ids: ${known}` : " (no assistant message before it has tool_calls)"}.`,
      );
    }
  });
}
