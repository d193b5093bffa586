import { describe, expect, it } from "vitest";
import { Prng } from "../../../src/engine/prng.js";
import { ApiError, normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { CORPUS, CTX } from "./corpus.js";

const base = { messages: [{ role: "user", content: "hi" }] };
const VALID: Record<string, unknown>[] = Object.values(CORPUS).flatMap((c) => c.valid.map((v) => ({ ...base, ...v })));

/** Values that break schemas in different ways. */
const WEIRD: unknown[] = [
  null, undefined, 0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53 + 2, "", "x", "\ud800", "a".repeat(5000), true, false, [], [null], {}, { __proto__: { x: 1 } },
  JSON.parse('{"__proto__": {"polluted": true}}'), [[[[[[]]]]]], { role: "user" }, { type: "function" }, ["a", 1], -0, "0", "constructor",
];

function mutate(value: unknown, rng: Prng, depth = 0): unknown {
  const pick = <T>(a: readonly T[]): T => a[rng.nextU32() % a.length]!;
  if (depth > 6 || typeof value !== "object" || value === null || rng.next() < 0.15) return rng.next() < 0.7 ? pick(WEIRD) : value;
  if (Array.isArray(value)) {
    const copy = [...value];
    const r = rng.next();
    if (r < 0.2) copy.push(pick(WEIRD));
    else if (r < 0.35 && copy.length) copy.splice(rng.nextU32() % copy.length, 1);
    else if (copy.length) {
      const i = rng.nextU32() % copy.length;
      copy[i] = mutate(copy[i], rng, depth + 1);
    }
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const r = rng.next();
  if (r < 0.15) copy[pick(["temprature", "__proto__", "constructor", "extra_body", "n", "stream", "tools", "role"])] = pick(WEIRD);
  else if (r < 0.3 && keys.length) delete copy[pick(keys)];
  else if (keys.length) {
    const k = pick(keys);
    copy[k] = mutate(copy[k], rng, depth + 1);
  }
  return copy;
}

describe("property: random mutations of valid requests", () => {
  it("2,000 mutations never throw anything but ApiError (seeded)", () => {
    const rng = new Prng(2026);
    const outcomes = { ok: 0, rejected: 0 };
    const codes = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      let req = VALID[rng.nextU32() % VALID.length];
      const rounds = 1 + (rng.nextU32() % 3);
      for (let r = 0; r < rounds; r++) req = mutate(req, rng) as Record<string, unknown>;
      try {
        normalizeRequest(validateRequest(req), CTX);
        outcomes.ok++;
      } catch (e) {
        if (!(e instanceof ApiError)) throw new Error(`mutation ${i} threw ${String(e)} for ${JSON.stringify(req)?.slice(0, 300)}`);
        expect(e.status).toBeLessThan(500);
        expect(e.message.length).toBeGreaterThan(10);
        outcomes.rejected++;
        codes.set(e.code ?? "null", (codes.get(e.code ?? "null") ?? 0) + 1);
      }
    }
    console.log("mutation outcomes", outcomes, Object.fromEntries(codes));
    expect(outcomes.ok + outcomes.rejected).toBe(2000);
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.rejected).toBeGreaterThan(500);
  });
});
