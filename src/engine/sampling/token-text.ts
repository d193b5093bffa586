import type { TokenVocabulary } from "../decode/detokenizer.js";
import type { TokenNamer } from "./logprobs.js";

const REPLACEMENT = "\uFFFD";
/** Preceding tokens vLLM looks back over to complete a character: enough for any UTF-8 sequence. */
const MAX_CONTEXT = 4;

/**
 * A token's text as vLLM 0.32's logprobs show it (v1/engine/logprobs.py, `_verify_tokens`): the
 * token decoded alone, unless that ends in U+FFFD (it ends inside a character). Then the tokens
 * before it (the sampled ones, or the prompt's) are tried as context: a token that completes a
 * character gets all of it, and one that only starts or continues it is "".
 */
export function tokenNamer(vocab: Pick<TokenVocabulary, "tokenBytes">): TokenNamer {
  const lossy = new TextDecoder("utf-8", { fatal: false });
  const decode = (ids: readonly number[]) => {
    const parts = ids.map((id) => vocab.tokenBytes[id] ?? new Uint8Array());
    const all = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
    parts.reduce((at, b) => (all.set(b, at), at + b.length), 0);
    return lossy.decode(all);
  };
  return {
    text(id, context) {
      const own = decode([id]);
      if (!own.endsWith(REPLACEMENT)) return own;
      const before = Array.from(context).slice(-MAX_CONTEXT);
      for (let n = 1; n <= before.length; n++) {
        const ctx = before.slice(-n);
        const full = decode([...ctx, id]);
        if (full.endsWith(REPLACEMENT)) continue;
        // Context tokens that themselves end mid-character were shown as "": their text is this token's.
        let clean = ctx.length;
        while (clean > 0 && decode([ctx[clean - 1]!]).endsWith(REPLACEMENT)) clean--;
        const prefix = decode(ctx.slice(0, clean));
        if (full.startsWith(prefix)) return full.slice(prefix.length);
        let common = 0;
        while (common < prefix.length && prefix[common] === full[common]) common++;
        return full.slice(common);
      }
      return "";
    },
  };
}
