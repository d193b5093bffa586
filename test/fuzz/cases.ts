/**
 * Seeded fuzz cases for the page API: mutated valid requests, random JSON, huge strings, deep
 * nesting, prototype keys, lone surrogates and non-JSON bodies, sent through create() or fetch.
 */
import type { Prng } from "../../src/engine/sampling/prng.js";
import { WEIRD, mutate } from "./mutate.js";

export type FuzzKind = "mutated" | "random_json" | "huge_string" | "deep_nesting" | "proto_keys" | "lone_surrogate" | "not_json";

export interface FuzzCase {
  kind: FuzzKind;
  via: "create" | "fetch";
  /** The request object (create), or what fetch sends as its body. */
  body: unknown;
  /** fetch only: this text is the body as is (not JSON). */
  raw?: string;
}

const KINDS: FuzzKind[] = [
  "mutated",
  "mutated",
  "mutated",
  "mutated",
  "random_json",
  "huge_string",
  "deep_nesting",
  "proto_keys",
  "lone_surrogate",
  "not_json",
];

export function fuzzCase(rng: Prng, valid: readonly Record<string, unknown>[]): FuzzCase {
  const pick = <T>(a: readonly T[]): T => a[rng.nextU32() % a.length]!;
  const kind = pick(KINDS);
  const via = rng.next() < 0.5 ? "create" : "fetch";
  const base = (): Record<string, unknown> => ({ max_tokens: 2, ...pick(valid) });
  const user = (content: unknown) => ({ ...base(), messages: [{ role: "user", content }] });
  switch (kind) {
    case "mutated": {
      let req: unknown = base();
      for (let r = 1 + (rng.nextU32() % 3); r > 0; r--) req = mutate(req, rng);
      return { kind, via, body: req };
    }
    case "random_json":
      return { kind, via, body: randomJson(rng, 0) };
    case "huge_string":
      return { kind, via, body: user("lorem ipsum ".repeat(20_000 + (rng.nextU32() % 20_000))) };
    case "deep_nesting": {
      let v: unknown = "x";
      for (let d = 500 + (rng.nextU32() % 3000); d > 0; d--) v = rng.next() < 0.5 ? [v] : { a: v };
      return { kind, via, body: { ...base(), [pick(["messages", "tools", "response_format", "extra_body", "logit_bias"])]: v } };
    }
    case "proto_keys":
      return {
        kind,
        via,
        body: JSON.parse(
          `{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 1}}, "messages": [{"role": "user", "content": "hi", "__proto__": {"role": "system"}}], "max_tokens": 2}`,
        ) as unknown,
      };
    case "lone_surrogate":
      return { kind, via, body: user(pick(["\ud800", "a\udc00b", "\udfff\ud800", "end \ud83d"])) };
    case "not_json":
      return {
        kind,
        via: "fetch",
        body: null,
        raw: pick(["", "{", "NaN", '{"messages": [}', "\u0000\u0001", "[1,2", '{"a":1}{"b":2}', "Infinity"]),
      };
  }
}

function randomJson(rng: Prng, depth: number): unknown {
  const r = rng.next();
  if (depth > 4 || r < 0.4) return WEIRD[rng.nextU32() % WEIRD.length];
  if (r < 0.7) return Array.from({ length: rng.nextU32() % 4 }, () => randomJson(rng, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = rng.nextU32() % 4; i > 0; i--)
    o[["messages", "model", "stream", "n", "x", "tools", "seed"][rng.nextU32() % 7]!] = randomJson(rng, depth + 1);
  return o;
}
