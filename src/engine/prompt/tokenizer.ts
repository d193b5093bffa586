import { Tokenizer } from "@mlc-ai/web-tokenizers";
import { ApiError } from "../../protocol/index.js";
import type { TokenizerConfig } from "../../models/files.js";
import { AddedTokenSplitter, type AddedTokenJson } from "./added-tokens.js";
import { isNfcOnly, nfcPieces, nfcProof } from "./nfc.js";
import { WordCache, type WordCacheJson } from "./word-cache.js";
import { detectEncoding, tokenToBytes, type VocabEncoding } from "./token-bytes.js";

/**
 * A model's tokenizer: encode/decode through @mlc-ai/web-tokenizers, plus what the loop needs per
 * token id (bytes, special or not) precomputed once per model.
 */
export class ModelTokenizer {
  /** Raw bytes of every id below vocabSize (ids the tokenizer lacks have none). */
  readonly tokenBytes: Uint8Array[];
  /** Ids that skip_special_tokens removes. */
  readonly specialIds: ReadonlySet<number>;
  /** Added tokens (special or not), kept whole by the tokenizer. */
  readonly addedTokens: ReadonlyMap<string, number>;
  readonly bosToken: string | null;
  readonly eosToken: string | null;
  /** The tokenizer's own vocabulary size (getVocabSize() is slow enough to matter per call). */
  private readonly tokenizerSize: number;
  /**
   * Where the tokenizer cuts text at added tokens, when those cuts are seams no merge crosses and
   * encoding adds no ids of its own (see added-tokens.ts); null: text must be encoded whole.
   */
  readonly splitter: AddedTokenSplitter | null;
  /** Words already encoded (word-cache.ts); null: every text goes to wasm whole. */
  readonly words: WordCache | null;

  private constructor(
    private readonly tok: Tokenizer,
    readonly config: TokenizerConfig,
    readonly encoding: VocabEncoding,
    readonly vocabSize: number,
    private readonly seams: AddedTokenSplitter | null,
    /** NFC is applied here, not in the wasm tokenizer (see load). */
    private readonly nfcInJs: boolean,
    wordCacheJson: WordCacheJson,
  ) {
    this.splitter = seams && tok.encode("").length === 0 ? seams : null;
    // The word cache cuts at the same seams, so it needs them as safe as the incremental cache does.
    this.words = this.splitter && WordCache.from(wordCacheJson, this.splitter);
    const added = new Map<string, number>();
    const special = new Set<number>();
    for (const [id, t] of Object.entries(config.added_tokens_decoder ?? {})) {
      added.set(t.content, Number(id));
      if (t.special) special.add(Number(id));
    }
    this.addedTokens = added;
    this.specialIds = special;
    const n = (this.tokenizerSize = tok.getVocabSize());
    this.tokenBytes = Array.from({ length: vocabSize }, (_, id) => {
      if (id >= n) return new Uint8Array(0);
      const piece = tok.idToToken(id);
      return added.has(piece) ? new TextEncoder().encode(piece) : tokenToBytes(piece, encoding);
    });
    this.bosToken = tokenText(config.bos_token);
    this.eosToken = tokenText(config.eos_token);
  }

  /**
   * `vocabSize` is the model's (often padded past the tokenizer's own size); a file that is not a
   * tokenizer is a 500 bad_model_file naming `source`.
   */
  static async load(
    tokenizerJson: ArrayBuffer,
    config: TokenizerConfig,
    vocabSize: number,
    source = "tokenizer.json",
  ): Promise<ModelTokenizer> {
    let json: TokenizerJson;
    let tok: Tokenizer;
    let nfcInJs: boolean;
    let splitter: AddedTokenSplitter | null;
    try {
      json = JSON.parse(new TextDecoder().decode(tokenizerJson)) as TokenizerJson;
      splitter = AddedTokenSplitter.from(json.added_tokens);
      // NFC moves to JS when that is exact (see nfc.ts).
      nfcInJs = Boolean(splitter) && isNfcOnly(json.normalizer) && json.added_tokens!.every((t) => nfcProof(t.content));
      tok = await Tokenizer.fromJSON(
        nfcInJs ? new TextEncoder().encode(JSON.stringify({ ...json, normalizer: null })).buffer : tokenizerJson,
      );
    } catch (e) {
      throw new ApiError({
        type: "server_error",
        message: `${source} is not a tokenizer the engine can load (${e instanceof Error ? e.message : String(e)}); put the model's own Hugging Face tokenizer.json there`,
        param: "model",
        code: "bad_model_file",
      });
    }
    return new ModelTokenizer(tok, config, detectEncoding(json), vocabSize, splitter, nfcInJs, json);
  }

  /** `reuse: false`: nothing kept from earlier calls is used (the word cache starts empty for this call). */
  encode(text: string, opts: { reuse?: boolean } = {}): Int32Array {
    const normal = this.nfcInJs ? nfcPieces(text, this.seams!) : text;
    return this.words ? this.words.encode(normal, this.wasmEncode, opts.reuse !== false) : this.tok.encode(normal);
  }

  private readonly wasmEncode = (text: string): Int32Array => this.tok.encode(text);

  decode(ids: ArrayLike<number>): string {
    return this.tok.decode(Int32Array.from(ids));
  }

  idToToken(id: number): string {
    return id < this.tokenizerSize ? this.tok.idToToken(id) : "";
  }

  /** The id of a single-token string such as "<|im_end|>", or undefined. */
  tokenId(text: string): number | undefined {
    const added = this.addedTokens.get(text);
    if (added !== undefined) return added;
    const ids = this.encode(text);
    return ids.length === 1 ? ids[0] : undefined;
  }

  dispose(): void {
    this.tok.dispose();
  }
}

interface TokenizerJson extends WordCacheJson {
  added_tokens?: AddedTokenJson[];
  decoder?: unknown;
}

function tokenText(t: TokenizerConfig["bos_token"]): string | null {
  if (t == null) return null;
  return typeof t === "string" ? t : t.content;
}
