/** The tokenizer test texts the GGUF tokenizers are checked on, as JSON for real_truth.py and sp_fixture.py. */
import { writeFileSync } from "node:fs";
import { tokenizerTexts } from "../../test/fixtures/tokenizer-texts.js";
import {
  GGUF_TEXT_SEED,
  GGUF_TEXT_COUNT,
  GGUF_ADDED_TOKENS,
  GGUF_SP_ADDED_TOKENS,
} from "../../test/unit/runners/gguf-fixtures.js";

// argv: OUT.json for the GPT-2 BPE file's texts, OUT_SP.json for the SentencePiece file's.
writeFileSync(process.argv[2]!, JSON.stringify(tokenizerTexts(GGUF_TEXT_SEED, GGUF_TEXT_COUNT, GGUF_ADDED_TOKENS)));
writeFileSync(process.argv[3]!, JSON.stringify(tokenizerTexts(GGUF_TEXT_SEED, GGUF_TEXT_COUNT, GGUF_SP_ADDED_TOKENS)));
