import type { ModelRunner } from "../../runners/runner.js";

/**
 * Feeds a runner so that a prompt sharing a prefix with what its KV cache holds only computes the
 * rest. A cache_salt partitions reuse: tokens cached under one salt are never reused under another.
 */
export class PrefixFeeder {
  private cached: number[] = [];
  private salt: string | null = null;

  constructor(private readonly runner: ModelRunner) {}

  /**
   * Make the cache hold exactly `prompt` and return the logits of its last position (or of every
   * position with `allLogits`, which needs a cold start). `reused` counts the tokens not recomputed.
   */
  async prefill(prompt: Int32Array, salt: string | null, allLogits = false): Promise<{ logits: Float32Array; reused: number }> {
    let keep = 0;
    if (!allLogits && salt === this.salt && this.runner.cachedTokens() === this.cached.length) {
      const limit = Math.min(this.cached.length, prompt.length - 1); // the last prompt token must run for its logits
      while (keep < limit && this.cached[keep] === prompt[keep]) keep++;
      if (keep < this.cached.length && !this.runner.truncate) keep = 0;
    }
    if (keep === 0) this.runner.reset();
    else if (keep < this.cached.length) this.runner.truncate!(keep);
    this.cached = Array.from(prompt.subarray(0, keep));
    this.salt = salt;
    const logits = await this.feed(prompt.subarray(keep), allLogits);
    return { logits, reused: keep };
  }

  /** Feed tokens after the cached ones. */
  async feed(tokens: Int32Array, allLogits = false): Promise<Float32Array> {
    try {
      const logits = await this.runner.forward(tokens, { allLogits });
      for (const t of tokens) this.cached.push(t);
      return logits;
    } catch (e) {
      this.invalidate();
      throw e;
    }
  }

  /** Forget everything (after an error the cache contents are unknown). */
  invalidate(): void {
    this.cached = [];
    this.runner.reset();
  }
}
