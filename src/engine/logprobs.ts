import type { PromptLogprobs, TokenLogprob } from "../protocol/index.js";
import { logSumExp, topKIndices } from "./select.js";

export interface TokenNamer {
  /** Text of a token as logprobs show it. */
  text(id: number): string;
  bytes(id: number): number[];
}

/**
 * Logprob entry of a sampled token: log-softmax of the distribution it was drawn from (after the
 * processors and temperature, before top-k/top-p/min-p truncation), with the top `k` alternatives.
 */
export function tokenLogprob(dist: Float32Array, token: number, k: number, names: TokenNamer, asIds: boolean): TokenLogprob {
  const logZ = logSumExp(dist);
  const entry = (id: number) => ({
    token: asIds ? `token_id:${id}` : names.text(id),
    logprob: Math.max(dist[id]! - logZ, -9999),
    bytes: names.bytes(id),
  });
  return { ...entry(token), top_logprobs: k > 0 ? Array.from(topKIndices(dist, k, false), entry) : [] };
}

/** Scale logits by 1/T into `out` (T = 0 counts as 1: greedy logprobs are the unscaled ones). */
export function withTemperature(logits: Float32Array, temperature: number, out: Float32Array): Float32Array {
  const inv = temperature > 0 ? 1 / temperature : 1;
  for (let i = 0; i < logits.length; i++) out[i] = logits[i]! * inv;
  return out;
}

/**
 * vLLM's prompt_logprobs from the logits of every prompt position: the first token has none; each
 * later one gets its own logprob and rank, plus the top `k` tokens.
 */
export function promptLogprobs(prompt: Int32Array, allLogits: Float32Array, vocab: number, k: number, names: TokenNamer, asIds: boolean): PromptLogprobs {
  const out: PromptLogprobs = [null];
  for (let pos = 1; pos < prompt.length; pos++) {
    const row = allLogits.subarray((pos - 1) * vocab, pos * vocab);
    const logZ = logSumExp(row);
    const actual = prompt[pos]!;
    const entries: NonNullable<PromptLogprobs[number]> = {};
    const add = (id: number, rank: number) => {
      entries[String(id)] = { logprob: Math.max(row[id]! - logZ, -9999), rank, decoded_token: asIds ? `token_id:${id}` : names.text(id) };
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
