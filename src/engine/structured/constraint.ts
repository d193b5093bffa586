import type { StructuredConstraint, StructuredOptions } from "../../protocol/index.js";
import type { LoadedModel } from "../model.js";

/** One choice's grammar state: masks the logits before sampling, advances with each sampled token. */
export interface TokenConstraint {
  /** Set every token the grammar cannot accept next to -Infinity. */
  mask(logits: Float32Array): Promise<void>;
  /** Advance past the sampled token. */
  accept(token: number): void;
  /** Advance past `token` if the grammar accepts it; false (and no change) if not. */
  tryAccept(token: number): boolean;
  /** The grammar is complete and has accepted a stop token. */
  readonly terminated: boolean;
  dispose(): void;
}

/** What to constrain a request to, and the request field it came from (for errors). */
export interface GrammarRequest {
  constraint: StructuredConstraint;
  options: StructuredOptions;
  param: string;
  /** Largest expanded grammar (limits.maxGrammarSize): compile time grows with its size. */
  maxSize: number;
}

/** Compiles a request's grammar once (cached) and hands out a fresh matcher per choice. */
export interface ConstraintProvider {
  /** Rejects with a 400 naming `param` when the grammar does not compile. */
  prepare(model: LoadedModel, grammar: GrammarRequest): Promise<() => Promise<TokenConstraint>>;
  /** Drop what was built for a model being unloaded. */
  forget(model: LoadedModel): void;
}
