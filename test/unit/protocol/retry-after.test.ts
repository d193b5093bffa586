import { describe, expect, it } from "vitest";
import { ApiError, toApiError } from "../../../src/protocol/index.js";
import { parseRetryAfter } from "../../../src/protocol/retry-after.js";

const now = Date.parse("2026-12-07T05:00:00Z");

describe("Retry-After", () => {
  it("reads delta-seconds and HTTP-dates (RFC 9110) as whole seconds from now", () => {
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Mon, 07 Dec 2026 05:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Mon, 07 Dec 2026 05:00:29 GMT", now + 500)).toBe(29); // rounded up, never early
    expect(parseRetryAfter("Mon, 07 Dec 2026 04:59:00 GMT", now)).toBe(0); // already past
  });

  it("is undefined when absent or unreadable", () => {
    for (const v of [null, undefined, "", "soon", "-5", "1.5"]) expect(parseRetryAfter(v, now)).toBeUndefined();
  });

  it("survives fromBody and toApiError as ApiError.retryAfter, and stays out of the OpenAI error body", () => {
    const e = new ApiError({ type: "rate_limit_error", message: "slow down", code: "rate_limit_exceeded", retryAfter: 7 });
    expect(e.toJSON()).toEqual({
      error: { message: "slow down", type: "rate_limit_error", param: null, code: "rate_limit_exceeded" },
    });
    expect(ApiError.fromBody(e.toJSON(), 7).retryAfter).toBe(7);
    expect(ApiError.fromBody(e.toJSON()).retryAfter).toBeUndefined();
    expect(toApiError({ ...e.toJSON().error, name: "ApiError", retryAfter: 7 }).retryAfter).toBe(7);
  });
});
