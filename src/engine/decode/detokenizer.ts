/** What detokenizing needs of a vocabulary: each id's bytes, and which ids are special. */
export interface TokenVocabulary {
  readonly tokenBytes: readonly Uint8Array[];
  readonly specialIds: ReadonlySet<number>;
}

export interface DetokenizeOptions {
  skipSpecialTokens: boolean;
  spacesBetweenSpecialTokens: boolean;
}

/**
 * Token ids to text, one id at a time: bytes are decoded as a UTF-8 stream, so a character split
 * across tokens is emitted whole once its last byte arrives, never as U+FFFD halves.
 */
export class IncrementalDetokenizer {
  private readonly decoder = new TextDecoder("utf-8", { fatal: false });
  private prevWasSpecial = false;
  private emittedAny = false;

  constructor(
    private readonly tok: TokenVocabulary,
    private readonly opts: DetokenizeOptions,
  ) {}

  /** Append one token; returns the text it completed (possibly ""). */
  push(id: number): string {
    const special = this.tok.specialIds.has(id);
    if (special && this.opts.skipSpecialTokens) return "";
    let piece: string;
    if (special) {
      // Flush pending bytes first; a special token is never part of a multi-byte character.
      piece = this.decoder.decode() + new TextDecoder().decode(this.tok.tokenBytes[id]);
      if (this.opts.spacesBetweenSpecialTokens && this.emittedAny) piece = " " + piece;
    } else {
      piece = this.decoder.decode(this.tok.tokenBytes[id], { stream: true });
      if (!piece) return ""; // an incomplete character: wait for its next byte
      if (this.opts.spacesBetweenSpecialTokens && this.prevWasSpecial) piece = " " + piece;
    }
    this.emittedAny = true;
    this.prevWasSpecial = special;
    return piece;
  }

  /** Bytes still waiting for the rest of their character, decoded as-is (end of generation). */
  flush(): string {
    return this.decoder.decode();
  }
}
