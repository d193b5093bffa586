import type { PromptLogprobs, TokenLogprob } from "../../protocol/index.js";
import { BAND_COUNT, distribution, logprobOf, softmaxKernel, type Distribution } from "./distribution.js";
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
  return { ...entry(token), top_logprobs: k > 0 ? Array.from(topLogprobIds(logits, d, k), entry) : [] };
}

/**
 * The k most likely ids (logit descending, ties by lower id), as topKIndices gives them. When the
 * softmax pass filled bands, they already rank the vocabulary coarsely: a token's band only grows
 * as its logit falls, so the ids in bands up to some band hold the top k once there are k of them.
 * Each band's weight bounds how many ids it holds (a band-b token weighs at most e^(-b/8) of the
 * top one), which picks that band; the SIMD kernel lists its ids, and only those are sorted.
 */
export function topLogprobIds(logits: Float32Array, d: Distribution, k: number): Int32Array {
  const bands = d.bands;
  if (!bands || k >= logits.length) return topKIndices(logits, k, false);
  let atLeast = 0;
  let cross = 0;
  for (; cross < BAND_COUNT - 1; cross++) {
    atLeast += bands.mass[cross]! * Math.exp(cross / 8) * 0.999;
    if (atLeast >= k) break;
  }
  for (; cross < BAND_COUNT - 1; cross = Math.min(BAND_COUNT - 1, cross * 2 + 1)) {
    const ids = softmaxKernel.head(bands.of, cross);
    if (ids.length < k) continue;
    const order = Array.from(ids).sort((a, b) => logits[b]! - logits[a]! || a - b);
    return Int32Array.from(order.slice(0, k));
  }
  return topKIndices(logits, k, false); // the last band holds -Infinity and underflowed weights
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
