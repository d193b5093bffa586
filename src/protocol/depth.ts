import { ApiError } from "./errors.js";

/** Deeper than any real request (a JSON schema rarely passes 20 levels). */
export const MAX_REQUEST_DEPTH = 64;

/**
 * Reject a request nested deeper than MAX_REQUEST_DEPTH before it is cloned into the worker or
 * validated: thousands of levels overflow the recursion of structured cloning and schema checks.
 * Iterative, so the check itself cannot overflow.
 */
export function checkDepth(body: unknown, max = MAX_REQUEST_DEPTH): void {
  const stack: [unknown, number][] = [[body, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth >= max) throw ApiError.invalid(null, `The request is nested more than ${max} levels deep; no request field needs that.`, "too_deep");
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}
