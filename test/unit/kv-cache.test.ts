import { describe, expect, it } from "vitest";
import { Prng } from "../../src/engine/sampling/prng.js";
import { ReferenceRunner } from "../../src/runners/reference/index.js";
import { randomSafetensors } from "../../src/tiny-model/random-model.js";
import { TINY_CONFIGS } from "./configs.js";
import { naiveForward } from "./naive-decoder.js";

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.each(Object.entries(TINY_CONFIGS))("%s decoder", (_name, cfg) => {
  const bytes = randomSafetensors(cfg, 7);
  const V = cfg.vocab_size as number;
  const rng = new Prng(99);
  const tokens = Array.from({ length: 24 }, () => rng.nextU32() % V);

  it("prefill then token-by-token decode equals one full forward (< 1e-4)", async () => {
    const full = naiveForward(cfg, bytes, tokens);
    const runner = ReferenceRunner.fromBytes(cfg, bytes);
    const prefill = await runner.forward(Int32Array.from(tokens.slice(0, 10)), { allLogits: true });
    for (let t = 0; t < 10; t++) expect(maxAbsDiff(prefill.subarray(t * V, (t + 1) * V), full[t]!)).toBeLessThan(1e-4);
    for (let t = 10; t < tokens.length; t++) {
      const logits = await runner.forward(Int32Array.of(tokens[t]!));
      expect(maxAbsDiff(logits, full[t]!)).toBeLessThan(1e-4);
    }
    expect(runner.cachedTokens()).toBe(tokens.length);
  });

  it("reset drops the cache: the same prompt gives the same logits", async () => {
    const runner = ReferenceRunner.fromBytes(cfg, bytes);
    const a = await runner.forward(Int32Array.from(tokens));
    runner.reset();
    expect(runner.cachedTokens()).toBe(0);
    const b = await runner.forward(Int32Array.from(tokens));
    expect(maxAbsDiff(a, b)).toBe(0);
  });

  it("last-position logits equal the last row of allLogits", async () => {
    const runner = ReferenceRunner.fromBytes(cfg, bytes);
    const all = await runner.forward(Int32Array.from(tokens), { allLogits: true });
    runner.reset();
    const last = await runner.forward(Int32Array.from(tokens));
    expect(maxAbsDiff(last, all.subarray((tokens.length - 1) * V))).toBe(0);
  });
});

describe("runner input checks", () => {
  const cfg = TINY_CONFIGS.qwen3!;
  const bytes = randomSafetensors(cfg, 7);

  it("rejects an out-of-vocabulary id without touching the cache", async () => {
    const runner = ReferenceRunner.fromBytes(cfg, bytes);
    await runner.forward(Int32Array.of(1, 2));
    await expect(runner.forward(Int32Array.of(3, 97))).rejects.toThrow(/token id 97 is outside the vocabulary \[0, 97\)/);
    expect(runner.cachedTokens()).toBe(2);
  });

  it("rejects tokens past the context window with the numbers", async () => {
    const runner = ReferenceRunner.fromBytes(cfg, bytes, { contextWindow: 8 });
    expect(runner.contextWindow).toBe(8);
    await runner.forward(new Int32Array(6));
    await expect(runner.forward(new Int32Array(3))).rejects.toThrow(
      /3 tokens do not fit: the context window is 8 and 6 are cached/,
    );
  });
});
