import type { PromptLogprobs, TokenLogprob } from "../../protocol/index.js";
import { bandMass } from "./band-mass.js";
import { BAND_COUNT, distribution, logprobOf, type Distribution } from "./distribution.js";
import { topKIndices } from "./select.js";

export interface TokenNamer {
  /** Text of a token as logprobs show it, after `context` (the tokens before it; token-text.ts). */
  text(id: number, context: ArrayLike<number>): string;
}

const utf8 = new TextEncoder();
/** vLLM's `bytes`: the shown text's UTF-8 (so [] for a token shown as ""), not the token's raw bytes. */
const bytesOf = (text: string) => Array.from(utf8.encode(text));

/**
 * Logprob entry of a sampled token: log-softmax of the distribution it was drawn from (after the
 * processors and temperature, before top-k/top-p/min-p truncation), with the top `k` alternatives.
 * `context`: the tokens sampled before it. With `asIds` (return_tokens_as_token_ids) tokens read
 * `token_id:N`; as in vLLM, the sampled token's bytes stay its text's, the alternatives' are the label's.
 */
export function tokenLogprob(
  logits: Float32Array,
  d: Distribution,
  token: number,
  k: number,
  names: TokenNamer,
  asIds: boolean,
  context: ArrayLike<number>,
): TokenLogprob {
  const entry = (id: number) => {
    const label = asIds ? `token_id:${id}` : names.text(id, context);
    return { token: label, logprob: logprobOf(logits, d, id), bytes: bytesOf(label) };
  };
  const text = names.text(token, context);
  return {
    token: asIds ? `token_id:${token}` : text,
    logprob: logprobOf(logits, d, token),
    bytes: bytesOf(text),
    top_logprobs: k > 0 ? Array.from(topLogprobIds(logits, d, k), entry) : [],
  };
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
  const bm = bandMass(d, bands);
  let atLeast = 0;
  let cross = 0;
  for (; cross < BAND_COUNT - 1; cross++) {
    atLeast += bm.through(cross)[cross]! * Math.exp(cross / 8) * 0.999;
    if (atLeast >= k) break;
  }
  for (; cross < BAND_COUNT - 1; cross = Math.min(BAND_COUNT - 1, cross * 2 + 1)) {
    const ids = bm.idsThrough(cross);
    if (ids.length < k) continue;
    const order = Array.from(ids).sort((a, b) => logits[b]! - logits[a]! || a - b);
    return Int32Array.from(order.slice(0, k));
  }
  return topKIndices(logits, k, false); // the last band holds -Infinity and underflowed weights
}

/**
 * vLLM's prompt_logprobs from the raw logits of every prompt position: the first token has none;
 * each later one gets its own logprob and rank, plus the top `k` tokens. decoded_token is the text
 * even under return_tokens_as_token_ids (vLLM applies that to `logprobs` only), read after the
 * scored prompt tokens before it (vLLM's context skips the first, which has no entry).
 */
export function promptLogprobs(
  prompt: Int32Array,
  allLogits: Float32Array,
  vocab: number,
  k: number,
  names: TokenNamer,
): PromptLogprobs {
  const out: PromptLogprobs = [null];
  const scratch = new Float32Array(vocab);
  for (let pos = 1; pos < prompt.length; pos++) {
    const row = allLogits.subarray((pos - 1) * vocab, pos * vocab);
    const d = distribution(row, 1, scratch);
    const actual = prompt[pos]!;
    const entries: NonNullable<PromptLogprobs[number]> = {};
    const context = prompt.subarray(Math.max(1, pos - 4), pos);
    const add = (id: number, rank: number) => {
      entries[String(id)] = { logprob: logprobOf(row, d, id), rank, decoded_token: names.text(id, context) };
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
