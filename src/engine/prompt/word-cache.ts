/**
 * A word cache in front of the wasm tokenizer, as Hugging Face's BPE keeps one: a long prompt is
 * mostly words seen before, yet every encode call sends all of it through wasm, where each step of
 * the tokenizer crosses into JS for unwinding (emscripten's invoke_* wrappers), about 2 µs a token.
 *
 * The tokenizer cuts text at added tokens, splits each piece into words with its pre-tokenizer
 * regex, and encodes each word on its own. On ASCII, a JS regex of the same pattern finds the same
 * words (\s, \p{L}, \p{N}, case folding and lookaheads agree there in every engine), so ASCII pieces
 * are split here and their words looked up; the words not seen yet, and every non-ASCII piece, go
 * to wasm in one call, joined by an added token (a seam no merge crosses). A word is cached only if
 * the pattern reads it alone as that one word, so its ids alone are its ids in context.
 */
import type { AddedTokenSplitter } from "./added-tokens.js";

/** What this reads of tokenizer.json. */
export interface WordCacheJson {
  normalizer?: { type?: string; normalizers?: { type?: string }[] } | null;
  pre_tokenizer?: PreTokenizerJson | null;
  model?: { type?: string; dropout?: number | null };
  added_tokens?: { id: number; content: string }[];
}

interface PreTokenizerJson {
  type?: string;
  pretokenizers?: PreTokenizerJson[];
  pattern?: { Regex?: string };
  behavior?: string;
  invert?: boolean;
  add_prefix_space?: boolean;
  use_regex?: boolean;
}

/** tokenizers' ByteLevel pattern (GPT-2's), used when ByteLevel has use_regex. */
const BYTE_LEVEL_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
/** Normalizers that leave ASCII as it is. */
const ASCII_IDENTITY = new Set(["NFC", "NFD", "NFKC", "NFKD"]);
/** Words kept before the cache starts over, and the longest word kept (as Hugging Face's BPE cache: a few MB at most). */
const MAX_WORDS = 100_000;
const MAX_WORD_CHARS = 256;
const NON_ASCII = /[^\x00-\x7f]/;

export class WordCache {
  private readonly words = new Map<string, Int32Array>();

  private constructor(
    private readonly pattern: RegExp,
    private readonly splitter: AddedTokenSplitter,
    private readonly separator: { content: string; id: number },
  ) {}

  /** A cache for this tokenizer, or null when its pipeline is not one whose words can be found in JS. */
  static from(json: WordCacheJson, splitter: AddedTokenSplitter | null): WordCache | null {
    if (!splitter || !asciiIdentity(json.normalizer)) return null;
    if (json.model?.type !== "BPE" || json.model.dropout) return null;
    const source = splitPattern(json.pre_tokenizer);
    if (source === null) return null;
    // Joins wasm work. Every join comes back as its id; one more of it inside an item shows as an
    // item too many, and that call falls back to encoding the text whole (encodeItems).
    const separator = json.added_tokens?.find((t) => splitter.has(t.content));
    if (!separator) return null;
    let pattern: RegExp;
    try {
      pattern = new RegExp(foldAsciiGroups(source), "gu");
    } catch {
      return null;
    }
    return new WordCache(pattern, splitter, separator);
  }

  /**
   * The ids `wasm(text)` gives, for a tokenizer that cuts text at `splitter`'s added tokens.
   * `reuse: false` starts from no words (only this text's own repeats are encoded once).
   */
  encode(text: string, wasm: (text: string) => Int32Array, reuse = true): Int32Array {
    const known = reuse ? this.words : new Map<string, Int32Array>();
    const parts: (Int32Array | number)[] = []; // ids, or the index of a wasm item
    const items: string[] = [];
    const itemOf = new Map<string, number>();
    const cacheAs: (string | null)[] = [];
    const toWasm = (s: string, word: boolean) => {
      let i = word ? itemOf.get(s) : undefined;
      if (i === undefined) {
        i = items.push(s) - 1;
        cacheAs.push(word ? s : null);
        if (word) itemOf.set(s, i);
      }
      parts.push(i);
    };
    let at = 0;
    for (const m of [...this.splitter.matches(text), { start: text.length, end: text.length, id: -1 }]) {
      const piece = text.slice(at, m.start);
      if (piece) {
        const words = NON_ASCII.test(piece) ? null : this.split(piece, known);
        if (!words) toWasm(piece, false);
        else
          for (const w of words) {
            const ids = known.get(w);
            if (ids) parts.push(ids);
            else toWasm(w, w.length <= MAX_WORD_CHARS);
          }
      }
      if (m.id >= 0) parts.push(Int32Array.of(m.id));
      at = m.end;
    }
    const results = items.length ? this.encodeItems(items, wasm) : [];
    if (!results) return wasm(text);
    if (known.size + items.length > MAX_WORDS) known.clear();
    results.forEach((ids, i) => cacheAs[i] !== null && known.set(cacheAs[i]!, ids));
    let n = 0;
    for (const p of parts) n += typeof p === "number" ? results[p]!.length : p.length;
    const out = new Int32Array(n);
    n = 0;
    for (const p of parts) {
      const ids = typeof p === "number" ? results[p]! : p;
      out.set(ids, n);
      n += ids.length;
    }
    return out;
  }

  /** The pre-tokenizer's words of an ASCII piece, or null when a word would not read alone as itself. */
  private split(piece: string, known: ReadonlyMap<string, Int32Array>): string[] | null {
    const words: string[] = [];
    const re = this.pattern;
    re.lastIndex = 0;
    let at = 0;
    for (let m = re.exec(piece); m; m = re.exec(piece)) {
      if (!m[0]) return null;
      if (m.index > at) words.push(piece.slice(at, m.index)); // Isolated: text between matches is a word too
      words.push(m[0]);
      at = re.lastIndex;
    }
    if (at < piece.length) words.push(piece.slice(at));
    for (const w of words) if (!known.has(w) && !this.readsAlone(w)) return null;
    return words;
  }

  private readsAlone(word: string): boolean {
    this.pattern.lastIndex = 0;
    const m = this.pattern.exec(word);
    return m !== null && m.index === 0 && m[0].length === word.length;
  }

  /** Every item's ids, from one wasm call over the items joined by the separator; null if the seams did not come back. */
  private encodeItems(items: string[], wasm: (text: string) => Int32Array): Int32Array[] | null {
    const { content, id } = this.separator;
    const joined = items.join(content);
    // The joined text must cut exactly at the separators (no added token formed across a join).
    const cuts = this.splitter.matches(joined);
    if (cuts.length !== items.length - 1 || cuts.some((c) => c.id !== id)) return null;
    const ids = wasm(joined);
    const out: Int32Array[] = [];
    let from = 0;
    for (let k = 0; k <= ids.length; k++) {
      if (k < ids.length && ids[k] !== id) continue;
      out.push(ids.slice(from, k));
      from = k + 1;
    }
    return out.length === items.length && out.every((o) => o.length > 0) ? out : null;
  }
}

function asciiIdentity(n: WordCacheJson["normalizer"]): boolean {
  if (!n) return true;
  if (n.type === "Sequence") return (n.normalizers ?? []).every((x) => ASCII_IDENTITY.has(x.type ?? ""));
  return ASCII_IDENTITY.has(n.type ?? "");
}

/** The regex that splits words, for the pre-tokenizers whose words are exactly that regex's matches and the text between. */
function splitPattern(p: PreTokenizerJson | null | undefined): string | null {
  if (!p) return null;
  const byteLevel = (b: PreTokenizerJson | undefined) => b?.type === "ByteLevel" && b.add_prefix_space === false;
  if (byteLevel(p)) return p.use_regex === false ? null : BYTE_LEVEL_PATTERN;
  if (p.type !== "Sequence" || p.pretokenizers?.length !== 2) return null;
  const [split, bytes] = p.pretokenizers;
  if (split?.type !== "Split" || split.behavior !== "Isolated" || split.invert || !split.pattern?.Regex) return null;
  return byteLevel(bytes) && bytes!.use_regex === false ? split.pattern.Regex : null;
}

/**
 * `(?i:'s|'t)` as `(?:'[sS]|'[tT])`: on ASCII text the same matches, in engines without inline
 * modifiers. Only groups of plain literals are rewritten; anything else is left to RegExp to accept.
 */
function foldAsciiGroups(source: string): string {
  return source.replace(
    /\(\?i:([^()[\]\\]*)\)/g,
    (_, body: string) => `(?:${body.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`)})`,
  );
}
