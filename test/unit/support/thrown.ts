import { expect } from "vitest";
import { ApiError } from "../../../src/protocol/errors.js";

/** What `fn` throws; a test failure when it throws nothing. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw, nothing was thrown");
}

/** The ApiError `fn` throws (anything else, or nothing, fails the test). */
export function apiError(fn: () => unknown): ApiError {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}
