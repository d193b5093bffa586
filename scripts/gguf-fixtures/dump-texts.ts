/** The tokenizer test texts the GGUF tokenizer is checked on, as JSON for real_truth.py. */
import { writeFileSync } from "node:fs";
import { tokenizerTexts } from "../../test/fixtures/tokenizer-texts.js";
import { GGUF_TEXT_SEED, GGUF_TEXT_COUNT, GGUF_ADDED_TOKENS } from "../../test/unit/runners/gguf-fixtures.js";

writeFileSync(process.argv[2]!, JSON.stringify(tokenizerTexts(GGUF_TEXT_SEED, GGUF_TEXT_COUNT, GGUF_ADDED_TOKENS)));
