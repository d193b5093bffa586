/** An ApiError as plain data, so it crosses page.evaluate; anything else is rethrown (a test bug, not an API error). */
import { ApiError } from "../../../src/protocol/errors.js";

export type ErrorInfo = {
  error: { status: number; type: string; param: string | null; code: string | null; message: string; retryAfter?: number };
};

export function errorInfo(e: unknown): ErrorInfo {
  if (!(e instanceof ApiError)) throw e;
  const { status, type, param, code, message, retryAfter } = e;
  return { error: { status, type, param, code, message, ...(retryAfter !== undefined && { retryAfter }) } };
}
