import { describe, expect, it } from "vitest";
import { Prng } from "../../../src/engine/sampling/prng.js";
import type { TokenConstraint } from "../../../src/engine/structured/constraint.js";
import { lazyPick } from "../../../src/engine/structured/lazy-pick.js";
import { argmax } from "../../../src/engine/sampling/select.js";

/** A grammar that allows a fixed set of tokens at every step; counts its masks and accepts. */
class SetGrammar implements TokenConstraint {
  masks = 0;
  accepted: number[] = [];
  terminated = false;
  constructor(private readonly allowed: Set<number>) {}
  async mask(logits: Float32Array): Promise<void> {
    this.masks++;
    for (let i = 0; i < logits.length; i++) if (!this.allowed.has(i)) logits[i] = -Infinity;
  }
  tryAccept(token: number): boolean {
    if (!this.allowed.has(token)) return false;
    this.accepted.push(token);
    return true;
  }
  accept(token: number): void {
    if (!this.tryAccept(token)) throw new Error(`refused ${token}`);
  }
  dispose(): void {}
}

/** Inverse-CDF sample of softmax(logits). */
const sampler = (logits: Float32Array, rng: Prng) => () => {
  const max = Math.max(...logits);
  const w = Array.from(logits, (x) => Math.exp(x - max));
  let u = rng.next() * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < w.length; i++) if ((u -= w[i]!) < 0) return i;
  return w.length - 1;
};

describe("lazyPick", () => {
  it("greedy: the same token as masking first, for 2,000 random logits and allowed sets; masks only when the argmax is refused", async () => {
    const rng = new Prng(3);
    let masks = 0;
    let refused = 0;
    for (let t = 0; t < 2000; t++) {
      const logits = Float32Array.from({ length: 32 }, () => rng.next() * 10);
      const allowed = new Set(Array.from({ length: 32 }, (_, i) => i).filter(() => rng.next() < 0.3));
      allowed.add(Math.floor(rng.next() * 32));
      const masked = logits.slice();
      await new SetGrammar(allowed).mask(masked);
      const g = new SetGrammar(allowed);
      const work = logits.slice();
      expect(await lazyPick(work, g, () => argmax(work))).toBe(argmax(masked));
      expect(g.accepted).toEqual([argmax(masked)]);
      masks += g.masks;
      if (!allowed.has(argmax(logits))) refused++;
    }
    expect(masks).toBe(refused);
    expect(refused).toBeGreaterThan(500);
  });

  it("sampling: the picks are distributed as the masked softmax (200,000 seeded draws, within 0.005)", async () => {
    const logits = Float32Array.of(2, 1.5, 0.2, 1, -1, 3, 0.5, 0);
    const allowed = new Set([1, 2, 4, 6]);
    const w = [...allowed].map((i) => Math.exp(logits[i]!));
    const expected = new Map([...allowed].map((id, k) => [id, w[k]! / w.reduce((a, b) => a + b, 0)]));
    const rng = new Prng(99);
    const counts = new Map<number, number>();
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const work = logits.slice();
      const token = await lazyPick(work, new SetGrammar(allowed), sampler(work, rng));
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    expect([...counts.keys()].every((k) => allowed.has(k))).toBe(true);
    for (const [id, p] of expected) expect(Math.abs((counts.get(id) ?? 0) / n - p)).toBeLessThan(0.005);
  });

  it("nothing allowed: the engine's no_token_possible error, not a token", async () => {
    const work = Float32Array.of(1, 2, 3);
    await expect(lazyPick(work, new SetGrammar(new Set()), () => argmax(work))).rejects.toMatchObject({
      status: 400,
      code: "no_token_possible",
    });
  });
});
