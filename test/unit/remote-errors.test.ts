/**
 * Error bodies vLLM / FastAPI / proxies send that the live suite cannot provoke on demand (a 429
 * or 503 with Retry-After, FastAPI's 422 list and 405), read into ApiErrors. The bodies are the
 * shapes those servers send; the live cases (401, 404, 400, refused, killed, stalled) are in test/remote/.
 */
import { describe, expect, it } from "vitest";
import { errorFromBody } from "../../src/runners/remote/errors.js";

const origin = "http://127.0.0.1:8000";

describe("remote error bodies → ApiError", () => {
  it("vLLM's {error:{message,type,param,code:int}} keeps message and param; status gives the type", () => {
    const e = errorFromBody(
      400,
      JSON.stringify({
        error: { message: "temperature must be non-negative", type: "BadRequestError", param: "temperature", code: 400 },
      }),
      origin,
    );
    expect([e.status, e.type, e.param, e.code]).toEqual([400, "invalid_request_error", "temperature", "http_400"]);
    expect(e.message).toContain("temperature must be non-negative");
  });

  it("FastAPI's 422 detail list names the first field, without the 'body' prefix", () => {
    const detail = [{ type: "missing", loc: ["body", "messages"], msg: "Field required", input: {} }];
    const e = errorFromBody(422, JSON.stringify({ detail }), origin);
    expect([e.status, e.type, e.param, e.code]).toEqual([400, "invalid_request_error", "messages", "invalid_value"]);
    expect(e.message).toContain("messages: Field required");
  });

  it("FastAPI's 405 {detail: string} says to check base_url", () => {
    const e = errorFromBody(405, JSON.stringify({ detail: "Method Not Allowed" }), origin);
    expect([e.status, e.type, e.code]).toEqual([404, "not_found_error", "method_not_allowed"]);
    expect(e.message).toContain("base_url");
  });

  it("429 and 503 carry the server's Retry-After in the advice", () => {
    const limited = errorFromBody(
      429,
      JSON.stringify({ error: { message: "Too many requests", type: "RateLimitError", param: null, code: 429 } }),
      origin,
      "7",
    );
    expect([limited.status, limited.type, limited.code]).toEqual([429, "rate_limit_error", "rate_limit_exceeded"]);
    expect(limited.message).toContain("Retry after 7 s");
    const busy = errorFromBody(503, "Service Unavailable", origin, "30");
    expect([busy.status, busy.type, busy.code]).toEqual([503, "service_unavailable_error", "server_unavailable"]);
    expect(busy.message).toContain("Retry after 30 s");
    expect([limited.retryAfter, busy.retryAfter]).toEqual([7, 30]);
  });

  it("Retry-After as an HTTP-date becomes seconds from now on the typed field; none or garbage leaves it unset", () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    const dated = errorFromBody(503, "busy", origin, at);
    expect(dated.retryAfter).toBeGreaterThanOrEqual(88);
    expect(dated.retryAfter).toBeLessThanOrEqual(90);
    expect(dated.message).toContain(`Retry after ${dated.retryAfter} s`);
    expect(errorFromBody(429, "slow down", origin).retryAfter).toBeUndefined();
    expect(errorFromBody(429, "slow down", origin, "soon").retryAfter).toBeUndefined();
  });

  it("vLLM's --api-key refusal {error: 'Unauthorized'} is a 401 with advice", () => {
    const e = errorFromBody(401, JSON.stringify({ error: "Unauthorized" }), origin);
    expect([e.status, e.type, e.code]).toEqual([401, "authentication_error", "invalid_api_key"]);
    expect(e.message).toContain("vLLM --api-key");
  });
});
