import { nothingToSample } from "../../protocol/plan-errors.js";
import type { TokenConstraint } from "./constraint.js";

/**
 * Pick a token the grammar accepts, computing its mask only when needed: pick from the unmasked
 * logits first and keep that token if the grammar accepts it; otherwise mask and pick again. A mask
 * costs 0.1-15 ms over a 150k vocabulary, an accept check microseconds, and a model writing the
 * format it was asked for mostly picks allowed tokens.
 *
 * Exact when `pick` is greedy, or samples from the softmax of logits changed only elementwise: the
 * second pick then draws from the same distribution renormalized over the allowed tokens, which is
 * what a masked pick draws from (rejection sampling). Top-k / top-p / min-p, logprobs and custom
 * processors see the whole distribution, so generate.ts masks first for those.
 */
export async function lazyPick(work: Float32Array, grammar: TokenConstraint, pick: () => number): Promise<number> {
  const first = pick();
  if (work[first] !== -Infinity && grammar.tryAccept(first)) return first;
  await grammar.mask(work);
  const token = pick();
  if (work[token] === -Infinity) throw nothingToSample();
  grammar.accept(token);
  return token;
}
