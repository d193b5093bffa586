/**
 * The lower-level path into web-llm 0.2.86's LLMChatPipeline (private members, read by name; the
 * version is pinned in package.json and test/unit/runners/webllm-internals.test.ts fails when their
 * shape changes). When any member is missing the runner falls back to the public
 * `forwardTokensAndSample` + LogitProcessor path.
 */

/** A TVM tensor as web-llm's runtime gives it. */
interface TvmTensor {
  toArray(): ArrayLike<number>;
  dispose(): void;
}

interface TvmInstance {
  beginScope(): void;
  endScope(): void;
  getGlobalFunc(name: string): (...args: unknown[]) => unknown;
  scalar(value: number, dtype: string): unknown;
  /** The runtime's scope stack (to undo scopes a failed call left open). */
  ctx?: { autoDisposeScope?: unknown[] };
}

/** The LLMChatPipeline members this runner uses. */
export interface PipelineInternals {
  tvm: TvmInstance;
  kvCache?: unknown;
  rnnState?: unknown;
  slidingWindowSize: number;
  filledKVCacheLength: number;
  logitsOnCPU?: TvmTensor;
  /** Embed and run the tokens (chunked by prefill_chunk_size); the last position's logits, on the GPU. */
  forwardKnownTokens(inputIds: number[], isPrefill: boolean): Promise<TvmTensor | undefined>;
  /** Queue the logits' copy into the reused CPU tensor `logitsOnCPU` (needs a sync). */
  updateLogitsOnCPU(logits: TvmTensor): TvmTensor;
  sync(): Promise<void>;
  resetChat(keepStats?: boolean): void;
}

/** The pipeline as PipelineInternals when every member the fast path needs is there, else null. */
export function pipelineInternals(p: unknown): PipelineInternals | null {
  if (typeof p !== "object" || p === null) return null;
  const q = p as Partial<Record<keyof PipelineInternals, unknown>>;
  const fns = ["forwardKnownTokens", "updateLogitsOnCPU", "sync", "resetChat"] as const;
  if (!fns.every((f) => typeof q[f] === "function")) return null;
  if (typeof q.filledKVCacheLength !== "number" || typeof q.slidingWindowSize !== "number") return null;
  const tvm = q.tvm as Partial<TvmInstance> | undefined;
  if (!tvm || !(["beginScope", "endScope", "getGlobalFunc", "scalar"] as const).every((f) => typeof tvm[f] === "function"))
    return null;
  return p as PipelineInternals;
}

/**
 * Run `ids` and return the last position's logits: one GPU→CPU copy of the logits, one sync and
 * one copy into a JS array. web-llm's public path (LogitProcessor) also uploads them back, runs its
 * own softmax + argsort + sampling kernels and syncs again for a token this engine ignores.
 */
export async function forwardLogits(p: PipelineInternals, ids: number[], vocabSize: number): Promise<Float32Array> {
  return withScopesRestored(p, async () => {
    const logits = await p.forwardKnownTokens(ids, ids.length > 1);
    if (!logits) throw new Error("web-llm's forwardKnownTokens returned no logits");
    try {
      p.tvm.beginScope();
      try {
        p.updateLogitsOnCPU(logits);
      } finally {
        p.tvm.endScope();
      }
      await p.sync();
    } finally {
      logits.dispose();
    }
    const row = p.logitsOnCPU?.toArray();
    if (!(row instanceof Float32Array)) throw new Error("web-llm's logits are not float32");
    if (row.length < vocabSize)
      throw new Error(`web-llm gave ${row.length} logits; mlc-chat-config.json says vocab_size ${vocabSize}`);
    return row.length === vocabSize ? row : row.slice(0, vocabSize);
  });
}

/**
 * Drop the last `n` tokens from the KV cache (TVM's `vm.builtin.kv_state_popn`), so a prompt that
 * diverges from the cached one keeps the common prefix. False when the cache cannot pop them: an
 * RNN state (hybrid models) only keeps max_history_size steps, and a sliding window that has slid
 * no longer holds what the popped tokens covered.
 */
export function popTokens(p: PipelineInternals, n: number): boolean {
  if (n === 0) return true;
  if (p.rnnState !== undefined || p.kvCache === undefined) return false;
  if (p.slidingWindowSize !== -1 && p.filledKVCacheLength > p.slidingWindowSize) return false;
  if (n > p.filledKVCacheLength) return false;
  p.tvm.beginScope();
  try {
    const popn = p.tvm.getGlobalFunc("vm.builtin.kv_state_popn");
    popn(p.kvCache, p.tvm.scalar(0, "int64"), p.tvm.scalar(n, "int32"));
  } catch {
    return false; // no popn in this runtime, or it refused (it checks before changing the cache): the caller re-feeds
  } finally {
    p.tvm.endScope();
  }
  p.filledKVCacheLength -= n;
  return true;
}

/** Depth of TVM's scope stack, when the runtime exposes it. */
export function scopeDepth(p: PipelineInternals): number | undefined {
  return p.tvm.ctx?.autoDisposeScope?.length;
}

/** Close scopes a failed call left open (web-llm opens them without try/finally), disposing their temporaries. */
export function restoreScopes(p: PipelineInternals, depth: number | undefined): void {
  if (depth === undefined) return;
  while ((scopeDepth(p) ?? 0) > depth) p.tvm.endScope();
}

async function withScopesRestored<T>(p: PipelineInternals, run: () => Promise<T>): Promise<T> {
  const depth = scopeDepth(p);
  try {
    return await run();
  } catch (e) {
    restoreScopes(p, depth);
    throw e;
  }
}
