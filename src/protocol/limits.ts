import { ApiError } from "./errors.js";

/**
 * What one request may ask of the engine. Each bound has a default sized for a browser tab and is
 * changed with `createEngine({ limits: { ... } })`; a request past one gets a typed error that names it.
 */
export interface EngineLimits {
  /** Largest request body, in bytes of JSON (413 `body_too_large`; checked in the page). */
  maxBodyBytes: number;
  /** Deepest nesting of the request's JSON (400 `too_deep`; checked in the page and the worker). */
  maxDepth: number;
  /** Most messages in one conversation (413 `too_many_messages`). */
  maxMessages: number;
  /** Most choices (n) or candidates (best_of) per request (400 on `n` / `best_of`). */
  maxN: number;
  /** Most requests waiting for the model at once (429 `queue_full`). */
  maxQueue: number;
  /** Longest prompt a chat template may render, in characters (413 `prompt_too_large`). */
  maxTemplateChars: number;
  /** Longest a chat template may run, in milliseconds (400 `template_timeout`). */
  templateTimeoutMs: number;
  /** Longest `range()` a chat template may build (400 `template_error`). */
  maxTemplateRange: number;
  /**
   * Largest structured-output grammar, counted as rules plus character classes once xgrammar has
   * expanded it (400 `grammar_too_complex`). Compiling is one blocking call that grows with that size
   * (a maxLength of N is N rules; maxItems, {m,n} alike), so this bounds it: 20-90 ms per unit on a
   * 2-core machine with a 150k-token vocabulary (see README, Limits).
   */
  maxGrammarSize: number;
}

export const DEFAULT_LIMITS: Readonly<EngineLimits> = Object.freeze({
  maxBodyBytes: 16 * 1024 * 1024,
  maxDepth: 64,
  maxMessages: 4096,
  maxN: 16,
  maxQueue: 1000,
  maxTemplateChars: 4_000_000,
  templateTimeoutMs: 2000,
  maxTemplateRange: 100_000,
  maxGrammarSize: 256,
});

/** Defaults overlaid with the caller's bounds; a bound that is not a positive number is a TypeError at setup. */
export function resolveLimits(given: Partial<EngineLimits> = {}): EngineLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(given) as [keyof EngineLimits, unknown][]) {
    if (!(key in DEFAULT_LIMITS))
      throw new TypeError(`Unknown limit "${key}"; the limits are ${Object.keys(DEFAULT_LIMITS).join(", ")}.`);
    if (value === undefined) continue;
    if (typeof value !== "number" || !(value > 0))
      throw new TypeError(`limits.${key} must be a positive number, got ${String(value)}.`);
    out[key] = value;
  }
  return out;
}

/**
 * Depth and size of a request, walked before it is cloned into the worker or validated: thousands of
 * levels overflow the recursion of structured cloning and schema checks, and a body of hundreds of MB
 * would be copied twice. Iterative, so the walk itself cannot overflow. Size counts UTF-8 bytes of
 * strings and keys plus a little per value, close to the JSON body's size.
 */
export function checkRequestShape(body: unknown, limits: Pick<EngineLimits, "maxDepth" | "maxBodyBytes"> = DEFAULT_LIMITS): void {
  const stack: [unknown, number][] = [[body, 0]];
  let bytes = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    bytes += typeof v === "string" ? utf8Length(v) + 2 : 6;
    if (bytes > limits.maxBodyBytes) throw bodyTooLarge(`over ${limits.maxBodyBytes}`, limits.maxBodyBytes);
    if (typeof v !== "object" || v === null) continue;
    if (depth >= limits.maxDepth)
      throw ApiError.invalid(
        null,
        `The request is nested more than ${limits.maxDepth} levels deep; no request field needs that.`,
        "too_deep",
      );
    if (Array.isArray(v)) {
      for (const child of v) stack.push([child, depth + 1]);
    } else {
      for (const [k, child] of Object.entries(v)) {
        bytes += utf8Length(k) + 3;
        stack.push([child, depth + 1]);
      }
    }
  }
}

export function bodyTooLarge(size: string | number, max: number): ApiError {
  return new ApiError({
    type: "request_too_large",
    message: `The request body is ${size} bytes; the limit is ${max} (limits.maxBodyBytes).`,
    code: "body_too_large",
  });
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1; // surrogate pairs: 2 units, 4 bytes
  }
  return n;
}
