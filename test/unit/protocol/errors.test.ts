import { describe, expect, it } from "vitest";
import { ApiError, toApiError } from "../../../src/protocol/index.js";

describe("ApiError", () => {
  it("serialises as OpenAI's error body with a status per type", () => {
    const cases: [ApiError, number][] = [
      [ApiError.invalid("n", "bad n"), 400],
      [new ApiError({ type: "not_found_error", message: "no such model", param: "model", code: "model_not_found" }), 404],
      [
        new ApiError({ type: "conflict_error", message: "request_id in use", param: "request_id", code: "duplicate_request_id" }),
        409,
      ],
      [
        new ApiError({
          type: "request_too_large",
          message: "prompt too long",
          param: "messages",
          code: "context_length_exceeded",
        }),
        413,
      ],
      [new ApiError({ type: "rate_limit_error", message: "queue full", code: "queue_full" }), 429],
      [new ApiError({ type: "server_error", message: "boom", code: "internal_error" }), 500],
      [new ApiError({ type: "service_unavailable_error", message: "device lost", code: "device_lost" }), 503],
    ];
    for (const [e, status] of cases) {
      expect(e.status).toBe(status);
      expect(e).toBeInstanceOf(Error);
      expect(JSON.parse(JSON.stringify(e))).toEqual({
        error: { message: e.message, type: e.type, param: e.param, code: e.code },
      });
      expect(ApiError.fromBody(e.toJSON())).toMatchObject({
        message: e.message,
        type: e.type,
        param: e.param,
        code: e.code,
        status,
      });
    }
  });

  it("toApiError turns anything thrown into an ApiError", () => {
    const same = ApiError.invalid("x", "y");
    expect(toApiError(same)).toBe(same);
    expect(toApiError(new TypeError("cannot read x"))).toMatchObject({
      status: 500,
      type: "server_error",
      message: "internal error: TypeError: cannot read x",
    });
    expect(toApiError("plain string").message).toBe("internal error: non-Error thrown: plain string");
    expect(toApiError(undefined).status).toBe(500);
    expect(toApiError(Object.create(null)).status).toBe(500);
    // An ApiError that crossed a structured-clone boundary as plain fields comes back whole.
    const cloned = { name: "ApiError", message: "m", type: "rate_limit_error", param: null, code: "queue_full" };
    expect(toApiError(cloned)).toMatchObject({ status: 429, code: "queue_full" });
  });
});
