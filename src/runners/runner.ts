/** The only model-specific part of the engine: turns tokens into logits. */
export interface ModelRunner {
  readonly vocabSize: number;
  /** Longest sequence (prompt + output) the model accepts. */
  readonly contextWindow: number;
  /**
   * Feed tokens after what is already in the KV cache; return logits of the last position,
   * or of every fed position (row-major, tokens.length x vocabSize) when `allLogits` is set.
   */
  forward(tokens: Int32Array, opts?: { allLogits?: boolean }): Promise<Float32Array>;
  /** Drop the KV cache. */
  reset(): void;
  /** How many tokens the cache holds (prefix reuse). */
  cachedTokens(): number;
  /** Keep only the first `length` cached tokens (optional: lets a prefix be shared by branches). */
  truncate?(length: number): void;
  dispose(): Promise<void>;
}
