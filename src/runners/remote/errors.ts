import { ApiError, type ApiErrorType } from "../../protocol/errors.js";
import { parseRetryAfter } from "../../protocol/retry-after.js";

/*
 * A remote server's failures as ApiErrors: the server's own status, message and `param` kept,
 * plus what to do about it. Messages name the server by origin only: never a key or header.
 */

const TYPE_BY_STATUS: Record<number, ApiErrorType> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "authentication_error",
  404: "not_found_error",
  405: "not_found_error",
  409: "conflict_error",
  413: "request_too_large",
  422: "invalid_request_error",
  429: "rate_limit_error",
  502: "service_unavailable_error",
  503: "service_unavailable_error",
  504: "service_unavailable_error",
};

const CODE_BY_STATUS: Record<number, string> = {
  401: "invalid_api_key",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  422: "invalid_value",
  429: "rate_limit_exceeded",
  503: "server_unavailable",
};

function advice(status: number, origin: string, retryAfter: number | undefined): string {
  const retry = retryAfter !== undefined ? ` Retry after ${retryAfter} s (the server's Retry-After).` : "";
  if (status === 401 || status === 403)
    return ` The server at ${origin} refused the API key: set api_key on the remote record to a key it accepts (vLLM --api-key).`;
  if (status === 404) return ` Check the record's model (the server's served name) and base_url (its API root, e.g. ".../v1").`;
  if (status === 405) return ` Check base_url: it should be the server's API root, e.g. ".../v1".`;
  if (status === 429 || status === 503) return ` The server at ${origin} is busy or starting.${retry || " Retry later."}`;
  if (status >= 500) return ` The server at ${origin} failed; its logs say why.${retry}`;
  return "";
}

/** What the body of an error response says: vLLM's `{"error": {...}}`, FastAPI's `{"detail": ...}`, or text. */
interface ServerError {
  message: string;
  type?: string;
  param: string | null;
  code: string | null;
}

function readErrorBody(text: string): ServerError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { message: text.trim().slice(0, 500), param: null, code: null };
  }
  const o = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof o.error === "string") return { message: o.error, param: null, code: null };
  if (typeof o.error === "object" && o.error !== null) {
    const e = o.error as Record<string, unknown>;
    return {
      message: typeof e.message === "string" ? e.message : JSON.stringify(e),
      type: typeof e.type === "string" ? e.type : undefined,
      param: typeof e.param === "string" ? e.param : null,
      code: typeof e.code === "string" ? e.code : null,
    };
  }
  if (typeof o.detail === "string") return { message: o.detail, param: null, code: null };
  if (Array.isArray(o.detail)) return fastApiDetail(o.detail as unknown[]);
  return { message: text.slice(0, 500), param: null, code: null };
}

/** FastAPI's validation errors: `[{loc: ["body", "messages", 0], msg}]`; param is the first location without "body". */
function fastApiDetail(detail: unknown[]): ServerError {
  const items = detail.filter((d): d is { loc?: unknown[]; msg?: unknown } => typeof d === "object" && d !== null);
  const param = (d: { loc?: unknown[] }) =>
    Array.isArray(d.loc) && d.loc.length > 1 && d.loc[0] === "body" ? d.loc.slice(1).map(String).join(".") : null;
  const first = items[0];
  const message = items.map((d) => `${param(d) ?? "body"}: ${typeof d.msg === "string" ? d.msg : "invalid"}`).join("; ");
  return { message: message || "invalid request", param: first ? param(first) : null, code: null };
}

/** An HTTP error response as an ApiError (the body is read here). */
export async function responseError(res: Response, origin: string): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  return errorFromBody(res.status, text, origin, res.headers.get("retry-after"));
}

export function errorFromBody(status: number, text: string, origin: string, retryAfter: string | null = null): ApiError {
  const e = readErrorBody(text);
  const wait = parseRetryAfter(retryAfter);
  const type = TYPE_BY_STATUS[status] ?? (status >= 500 ? "server_error" : "invalid_request_error");
  const code =
    e.code ?? (e.param === "model" && status === 404 ? "model_not_found" : (CODE_BY_STATUS[status] ?? `http_${status}`));
  return new ApiError({
    type,
    message: `${origin} answered ${status}: ${e.message}.${advice(status, origin, wait)}`,
    param: e.param,
    code,
    ...(wait !== undefined && { retryAfter: wait }),
  });
}

/** An error event inside a stream (vLLM sends `data: {"error": {...}}` when generation fails mid-way). */
export function streamErrorEvent(data: Record<string, unknown>, origin: string): ApiError {
  const e = data.error as Record<string, unknown>;
  const status = typeof e.code === "number" ? e.code : 500;
  return errorFromBody(status, JSON.stringify(data), origin);
}

/** fetch rejected: nothing answered (refused, DNS, CORS, TLS) or the connection broke mid-response. */
export function networkError(e: unknown, origin: string, midStream: boolean): ApiError {
  const cause = causeOf(e);
  if (midStream)
    return new ApiError({
      type: "service_unavailable_error",
      message: `The connection to ${origin} broke before the response finished (${cause}): the server stopped or restarted. The next request connects again.`,
      code: "remote_connection_lost",
    });
  return new ApiError({
    type: "service_unavailable_error",
    message: `Could not reach ${origin} (${cause}). Check that the server runs there and, from a page on another origin, that it allows this one (vLLM --allowed-origins).`,
    code: "remote_unreachable",
  });
}

export function timeoutError(origin: string, ms: number): ApiError {
  return new ApiError({
    type: "service_unavailable_error",
    message: `${origin} sent nothing for ${ms} ms, so the request was closed. The server may be overloaded or stalled; raise the record's timeout_ms for slow prompts.`,
    code: "remote_timeout",
  });
}

export function badResponse(origin: string, what: string): ApiError {
  return new ApiError({
    type: "server_error",
    message: `${origin} sent a response this engine cannot read: ${what}. Is base_url an OpenAI-compatible API root (e.g. ".../v1")?`,
    code: "remote_bad_response",
  });
}

function causeOf(e: unknown): string {
  const err = e as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const code = typeof err?.cause?.code === "string" ? err.cause.code : undefined;
  const message = typeof err?.message === "string" ? err.message : String(e);
  return code ? `${message}: ${code}` : message;
}
