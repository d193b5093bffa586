import type { Metadata } from "./metadata.js";

/** Token types in tokenizer.ggml.token_type (llama.cpp's llama_token_type). */
const CONTROL = 3;

/** One entry of tokenizer.json's added_tokens. */
export interface AddedTokenEntry {
  id: number;
  content: string;
  single_word: false;
  lstrip: false;
  rstrip: false;
  normalized: false;
  special: boolean;
}

/**
 * A SentencePiece GGUF (`tokenizer.ggml.model = "llama"`: Llama-2 / Mistral style) as the
 * tokenizer.json transformers 4.57's GGUF converter builds (GGUFLlamaConverter, legacy mode): a
 * BPE with byte fallback whose merges are made from the scores, "▁" for spaces prepended by the
 * normalizer, control tokens (and unk / bos / eos) as special added tokens.
 */
export function spmTokenizerJson(md: Metadata): { json: object; added: AddedTokenEntry[] } {
  const tokens = md.strings("tokenizer.ggml.tokens");
  const scores = md.numbers("tokenizer.ggml.scores") ?? tokens.map(() => 0);
  const types = md.numbers("tokenizer.ggml.token_type") ?? [];
  const prefixSpace = md.boolean("tokenizer.ggml.add_space_prefix", true);
  const idOf = (key: string) => md.number(`tokenizer.ggml.${key}_token_id`, undefined);
  const unk = idOf("unknown");
  const vocab: Record<string, number> = {};
  tokens.forEach((t, i) => (vocab[t] = i));
  // transformers adds the control tokens, then its special-token arguments (unk, bos) not yet added.
  const specials = new Set(tokens.flatMap((_, id) => (types[id] === CONTROL ? [id] : [])));
  for (const id of [unk, idOf("bos"), idOf("eos")]) if (id !== undefined && tokens[id] !== undefined) specials.add(id);
  const added: AddedTokenEntry[] = [...specials]
    .sort((a, b) => a - b)
    .map((id) => ({
      id,
      content: tokens[id]!,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    }));
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: {
      type: "Sequence",
      normalizers: [
        ...(prefixSpace ? [{ type: "Prepend", prepend: "\u2581" }] : []),
        { type: "Replace", pattern: { String: " " }, content: "\u2581" },
      ],
    },
    pre_tokenizer: null,
    // transformers adds bos in its Python post-processor; the engine adds it from add_bos_token (prompt.ts).
    post_processor: null,
    decoder: {
      type: "Sequence",
      decoders: [
        { type: "ByteFallback" },
        { type: "Fuse" },
        { type: "Replace", pattern: { String: "\u2581" }, content: " " },
        ...(prefixSpace ? [{ type: "Strip", content: " ", start: 1, stop: 0 }] : []),
      ],
    },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: unk === undefined ? null : (tokens[unk] ?? null),
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: mergesFromScores(tokens, scores),
    },
  };
  return { json, added };
}

/**
 * BPE merges that rebuild SentencePiece's highest-score-first joining (transformers'
 * GGUFTokenizerSkeleton): every split of a piece into two pieces of the vocabulary is a merge;
 * a piece's splits rank by their halves' scores, and all merges by the joined piece's score (both
 * sorts stable, as Python's). Pieces are cut between code points, as Python slices strings.
 */
function mergesFromScores(tokens: readonly string[], scores: readonly number[]): [string, string][] {
  const score = new Map<string, number>();
  tokens.forEach((t, i) => score.set(t, scores[i] ?? 0));
  const merges: { left: string; right: string; score: number }[] = [];
  for (const [piece, pieceScore] of score) {
    const chars = Array.from(piece);
    const local: { left: string; right: string; score: number }[] = [];
    for (let i = 1; i < chars.length; i++) {
      const left = chars.slice(0, i).join("");
      const right = chars.slice(i).join("");
      if (score.has(left) && score.has(right)) local.push({ left, right, score: pieceScore });
    }
    local.sort((a, b) => score.get(b.left)! - score.get(a.left)! || score.get(b.right)! - score.get(a.right)!);
    merges.push(...local);
  }
  merges.sort((a, b) => b.score - a.score);
  return merges.map((m) => [m.left, m.right]);
}
