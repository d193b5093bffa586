/**
 * Where a Hugging Face tokenizer splits text at its added tokens (`<|im_start|>`, `<think>`, ...).
 * The tokenizer cuts the text at every added-token match (leftmost-longest) and tokenizes the
 * pieces between them independently, so a match boundary is a seam no BPE merge crosses: text
 * before it and after it can be tokenized apart and the ids concatenated. This holds only for
 * plain added tokens (no lstrip / rstrip / single_word, matched on the raw text), so a tokenizer
 * with any other kind gets no splitter and always takes the whole-text path.
 */

/** One entry of tokenizer.json's `added_tokens`. */
export interface AddedTokenJson {
  id: number;
  content: string;
  lstrip?: boolean;
  rstrip?: boolean;
  single_word?: boolean;
  normalized?: boolean;
}

/** A match of an added token in a text: chars [start, end) become the single id `id`. */
export interface AddedMatch {
  start: number;
  end: number;
  id: number;
}

export class AddedTokenSplitter {
  private readonly ids = new Map<string, number>();
  private readonly pattern: RegExp;
  private readonly longest: number;
  /** Ids of the added tokens, to find them again in encoded output. */
  readonly idSet: ReadonlySet<number>;

  private constructor(tokens: readonly AddedTokenJson[]) {
    for (const t of tokens) this.ids.set(t.content, t.id);
    // A JS alternation takes the first alternative that matches at the leftmost position, so
    // longest first gives leftmost-longest, as the tokenizer's Aho-Corasick search does.
    const alts = [...this.ids.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(alts.join("|"), "g");
    this.longest = Math.max(...[...this.ids.keys()].map((k) => k.length));
    this.idSet = new Set(this.ids.values());
  }

  /** A splitter for these added tokens, or null when the seams are not safe to cut at. */
  static from(tokens: readonly AddedTokenJson[] | undefined): AddedTokenSplitter | null {
    if (!tokens?.length) return null;
    const plain = tokens.every((t) => t.content && !t.lstrip && !t.rstrip && !t.single_word && t.normalized === false);
    return plain ? new AddedTokenSplitter(tokens) : null;
  }

  /** The added-token matches the tokenizer finds in `text` (from char `from` on), in order. */
  matches(text: string, from = 0): AddedMatch[] {
    const out: AddedMatch[] = [];
    this.pattern.lastIndex = from;
    for (let m = this.pattern.exec(text); m; m = this.pattern.exec(text)) {
      out.push({ start: m.index, end: m.index + m[0].length, id: this.ids.get(m[0])! });
    }
    return out;
  }

  /** Whether some added-token occurrence in `text` starts before `pos` and ends after it. */
  straddles(text: string, pos: number): boolean {
    for (let start = Math.max(0, pos - this.longest + 1); start < pos; start++) {
      for (const [content] of this.ids) {
        if (start + content.length > pos && text.startsWith(content, start)) return true;
      }
    }
    return false;
  }

  /** Whether `content` is one of the added tokens. */
  has(content: string): boolean {
    return this.ids.has(content);
  }

  /** Whether `text` contains any added token. */
  contains(text: string): boolean {
    this.pattern.lastIndex = 0;
    const found = this.pattern.test(text);
    this.pattern.lastIndex = 0;
    return found;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
