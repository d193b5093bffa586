import type { LogitProcessor } from "@mlc-ai/web-llm";
import type { MLCEngineLike } from "./engine.js";
import { pipelineInternals, restoreScopes, scopeDepth } from "./pipeline.js";

/**
 * web-llm's public path: `forwardTokensAndSample` with a LogitProcessor registered for the model
 * that copies each step's logits out (web-llm then samples a token of its own, which is ignored).
 * The runner uses it when the pipeline lacks a member pipeline.ts needs, or when asked to.
 */
export async function publicStep(
  engine: MLCEngineLike,
  capture: LogitCapture,
  pipeline: unknown,
  feed: number[],
  vocabSize: number,
): Promise<Float32Array> {
  const internals = pipelineInternals(pipeline);
  const depth = internals ? scopeDepth(internals) : undefined;
  capture.logits = null;
  try {
    await engine.forwardTokensAndSample(feed, feed.length > 1);
  } catch (e) {
    if (internals) restoreScopes(internals, depth); // forwardTokensAndSample opens scopes without try/finally
    throw e;
  }
  const logits = capture.logits as Float32Array | null;
  if (!logits) throw new Error("web-llm ran the model without calling the logit processor registered for it");
  if (logits.length !== vocabSize)
    throw new Error(`web-llm gave ${logits.length} logits; mlc-chat-config.json says vocab_size ${vocabSize}`);
  return logits;
}

/** Registered with web-llm for the model (its public path): keeps a copy of each step's logits, changes nothing. */
export class LogitCapture implements LogitProcessor {
  logits: Float32Array | null = null;
  constructor(private readonly vocabSize: number) {}
  processLogits = (logits: Float32Array): Float32Array => {
    this.logits = logits.slice(0, this.vocabSize);
    return logits;
  };
  processSampledToken = (): void => {};
  resetState = (): void => {};
}
