import type { PromptLogprobs, TokenLogprob } from "../../protocol/index.js";
import { distribution, logprobOf, type Distribution } from "./distribution.js";
import { topKIndices } from "./select.js";

export interface TokenNamer {
  /** Text of a token as logprobs show it. */
  text(id: number): string;
  bytes(id: number): number[];
}

/**
 * Logprob entry of a sampled token: log-softmax of the distribution it was drawn from (after the
 * processors and temperature, before top-k/top-p/min-p truncation), with the top `k` alternatives.
 */
export function tokenLogprob(
  logits: Float32Array,
  d: Distribution,
  token: number,
  k: number,
  names: TokenNamer,
  asIds: boolean,
): TokenLogprob {
  const entry = (id: number) => ({
    token: asIds ? `token_id:${id}` : names.text(id),
    logprob: logprobOf(logits, d, id),
    bytes: names.bytes(id),
  });
  return { ...entry(token), top_logprobs: k > 0 ? Array.from(topKIndices(logits, k, false), entry) : [] };
}

/**
 * vLLM's prompt_logprobs from the raw logits of every prompt position: the first token has none;
 * each later one gets its own logprob and rank, plus the top `k` tokens.
 */
export function promptLogprobs(
  prompt: Int32Array,
  allLogits: Float32Array,
  vocab: number,
  k: number,
  names: TokenNamer,
  asIds: boolean,
): PromptLogprobs {
  const out: PromptLogprobs = [null];
  const scratch = new Float32Array(vocab);
  for (let pos = 1; pos < prompt.length; pos++) {
    const row = allLogits.subarray((pos - 1) * vocab, pos * vocab);
    const d = distribution(row, 1, scratch);
    const actual = prompt[pos]!;
    const entries: NonNullable<PromptLogprobs[number]> = {};
    const add = (id: number, rank: number) => {
      entries[String(id)] = { logprob: logprobOf(row, d, id), rank, decoded_token: asIds ? `token_id:${id}` : names.text(id) };
    };
    let rank = 1;
    for (let i = 0; i < vocab; i++) if (row[i]! > row[actual]! || (row[i] === row[actual] && i < actual)) rank++;
    add(actual, rank);
    topKIndices(row, k, false).forEach((id, r) => {
      if (id !== actual) add(id, r + 1);
    });
    out.push(entries);
  }
  return out;
}
