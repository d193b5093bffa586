/** The one error type of the API: OpenAI's error body plus an HTTP-like status. */

export type ApiErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "not_found_error"
  | "conflict_error"
  | "request_too_large"
  | "rate_limit_error"
  | "server_error"
  | "service_unavailable_error";

const STATUS: Record<ApiErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  server_error: 500,
  service_unavailable_error: 503,
};

export interface ApiErrorBody {
  error: { message: string; type: ApiErrorType; param: string | null; code: string | null };
}

/** What an ApiError is built from: named, so `type`, `param` and `code` cannot be swapped. */
export interface ApiErrorInit {
  type: ApiErrorType;
  message: string;
  /** Dotted path of the request field at fault, when one is. */
  param?: string | null;
  /** Machine-readable reason (`context_length_exceeded`, `model_not_found`, ...). */
  code?: string | null;
  /** Seconds to wait before retrying, when the server said (its `Retry-After`). */
  retryAfter?: number;
}

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly type: ApiErrorType;
  readonly param: string | null;
  readonly code: string | null;
  /** Seconds to wait before retrying (a 429 or 503's `Retry-After`); engine.fetch sends it as that header. */
  readonly retryAfter?: number;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.type = init.type;
    this.param = init.param ?? null;
    this.code = init.code ?? null;
    this.status = STATUS[init.type];
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
  }

  /** 400: the request is wrong; `param` is the dotted path of the field, `code` what kind of wrong. */
  static invalid(param: string | null, message: string, code = "invalid_value"): ApiError {
    return new ApiError({ type: "invalid_request_error", message, param, code });
  }

  toJSON(): ApiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  /** Rebuild from a body (engine.fetch response, or fields carried across a worker boundary). */
  static fromBody(body: ApiErrorBody, retryAfter?: number): ApiError {
    const e = body.error;
    return new ApiError({
      type: e.type in STATUS ? e.type : "server_error",
      message: e.message,
      param: e.param ?? null,
      code: e.code ?? null,
      ...(typeof retryAfter === "number" && { retryAfter }),
    });
  }
}

/** Any thrown thing as an ApiError: ApiErrors pass through, anything else is a 500 that keeps its message. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isApiErrorLike(e)) return ApiError.fromBody({ error: e }, (e as { retryAfter?: number }).retryAfter);
  const message = e instanceof Error ? `${e.name}: ${e.message}` : `non-Error thrown: ${safeString(e)}`;
  return new ApiError({ type: "server_error", message: `internal error: ${message}`, code: "internal_error" });
}

function isApiErrorLike(e: unknown): e is ApiErrorBody["error"] {
  if (typeof e !== "object" || e === null) return false;
  const o = e as Record<string, unknown>;
  return o.name === "ApiError" && typeof o.message === "string" && typeof o.type === "string" && o.type in STATUS;
}

function safeString(v: unknown): string {
  try {
    return String(v).slice(0, 200);
  } catch {
    return typeof v;
  }
}
