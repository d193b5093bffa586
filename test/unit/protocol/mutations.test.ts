import { describe, expect, it } from "vitest";
import { Prng } from "../../../src/engine/sampling/prng.js";
import { ApiError, normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { mutate } from "../../fuzz/mutate.js";
import { CORPUS, CTX } from "./corpus.js";

const base = { messages: [{ role: "user", content: "hi" }] };
const VALID: Record<string, unknown>[] = Object.values(CORPUS).flatMap((c) => c.valid.map((v) => ({ ...base, ...v })));

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
        if (!(e instanceof ApiError))
          throw new Error(`mutation ${i} threw ${String(e)} for ${JSON.stringify(req)?.slice(0, 300)}`);
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
