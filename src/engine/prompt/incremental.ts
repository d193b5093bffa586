/**
 * Incremental prompt tokenization. A follow-up turn of a long chat renders to the previous turn's
 * text plus a little more, yet encoding it whole costs as much as the whole chat. This cache keeps
 * the last few renderings with their ids and seams (positions right after an added token, where
 * the tokenizer cuts the text: added-tokens.ts), finds the longest common prefix of a new rendering
 * with one of them, and encodes only the text after the last seam inside that prefix. Text before
 * a seam and after it are tokenized independently by the tokenizer itself, so the ids are exactly
 * those of encoding the whole text; templates that rewrite earlier turns (Qwen3 dropping old
 * <think> blocks) just shorten the common prefix.
 */
import type { AddedTokenSplitter } from "./added-tokens.js";

/** What the cache needs of a tokenizer (ModelTokenizer has both). */
export interface SeamTokenizer {
  encode(text: string): Int32Array;
  /** null: the tokenizer's cuts are not safe seams; every text is encoded whole. */
  readonly splitter: AddedTokenSplitter | null;
}

/** Chars [0, char) of a text encode to its ids [0, token). */
interface Seam {
  char: number;
  token: number;
}

interface Entry {
  text: string;
  ids: Int32Array;
  /** Ascending. */
  seams: Seam[];
}

/** Renderings kept per key (a few conversations in turn), keys kept, and their text in all (~8 MB of strings). */
const PER_KEY = 4;
const KEYS = 8;
const MAX_CHARS = 4_000_000;

export class PromptCache {
  private readonly entries = new Map<string, Entry[]>();

  constructor(private readonly tok: SeamTokenizer) {}

  /**
   * The ids of `text`, as `tok.encode(text)` gives them. `key` separates what may be reused (the
   * template and the cache_salt: a salted request never reuses another's work).
   */
  encode(key: string, text: string): Int32Array {
    const splitter = this.tok.splitter;
    if (!splitter) return this.tok.encode(text);
    const list = this.entries.get(key) ?? [];
    let base: { entry: Entry; seam: number } | undefined;
    for (const entry of list) {
      const seam = this.usableSeam(entry, text, splitter);
      if (seam >= 0 && (!base || entry.seams[seam]!.char > base.entry.seams[base.seam]!.char)) base = { entry, seam };
    }
    let entry: Entry;
    if (base) {
      const { char, token } = base.entry.seams[base.seam]!;
      const tail = this.tok.encode(text.slice(char));
      const ids = new Int32Array(token + tail.length);
      ids.set(base.entry.ids.subarray(0, token));
      ids.set(tail, token);
      const seams = base.entry.seams.slice(0, base.seam + 1).concat(findSeams(text, char, ids, token, splitter));
      entry = { text, ids, seams };
    } else {
      const ids = this.tok.encode(text);
      entry = { text, ids, seams: findSeams(text, 0, ids, 0, splitter) };
    }
    this.remember(key, list, entry);
    return entry.ids.slice();
  }

  /** Index of the last seam of `entry` inside its common prefix with `text`, or -1. */
  private usableSeam(entry: Entry, text: string, splitter: AddedTokenSplitter): number {
    const common = commonPrefix(entry.text, text);
    let i = entry.seams.length - 1;
    while (i >= 0 && entry.seams[i]!.char > common) i--;
    // A token that starts before the seam and runs past the common prefix would move the cut; it
    // can only reach back a token's length, so this steps back at most a seam or two.
    while (i >= 0 && splitter.straddles(text, entry.seams[i]!.char)) i--;
    return i;
  }

  private remember(key: string, list: Entry[], entry: Entry): void {
    const kept = [entry, ...list.filter((e) => e.text !== entry.text)].slice(0, PER_KEY);
    this.entries.delete(key);
    this.entries.set(key, kept);
    if (this.entries.size > KEYS) this.entries.delete(this.entries.keys().next().value!);
    // Past the budget, the oldest renderings go first (least recently used key, its oldest entry).
    let chars = 0;
    for (const l of this.entries.values()) for (const e of l) chars += e.text.length;
    while (chars > MAX_CHARS) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      chars -= oldest.pop()!.text.length;
      if (!oldest.length) this.entries.delete(oldestKey);
    }
  }
}

/**
 * Seams of `text` after char `from`, whose ids from index `token` on are `ids`: the end of every
 * added-token match that no other occurrence straddles. If the ids do not hold exactly these
 * matches' ids in order (a tokenizer that cuts differently from the splitter), none are returned,
 * so that text is only ever reused from before it.
 */
function findSeams(text: string, from: number, ids: Int32Array, token: number, splitter: AddedTokenSplitter): Seam[] {
  const matches = splitter.matches(text, from);
  const seams: Seam[] = [];
  let m = 0;
  for (let k = token; k < ids.length; k++) {
    if (!splitter.idSet.has(ids[k]!)) continue;
    const match = matches[m++];
    if (!match || match.id !== ids[k]) return [];
    if (!splitter.straddles(text, match.end)) seams.push({ char: match.end, token: k + 1 });
  }
  return m === matches.length ? seams : [];
}

function commonPrefix(a: string, b: string): number {
  if (b.startsWith(a)) return a.length;
  const n = Math.min(a.length, b.length);
  // Equal blocks first, shrinking (string equality is a native compare, ~50x a charCodeAt loop), then chars.
  let i = 0;
  for (const block of PREFIX_BLOCKS) while (i + block <= n && a.slice(i, i + block) === b.slice(i, i + block)) i += block;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

const PREFIX_BLOCKS = [8192, 512, 32];
