/** Where scripts/gguf-fixtures/make.sh put the tiny GGUFs and transformers' logits (CI runs it first). */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const CACHE = process.env.WEBGPU_CHAT_ENGINE_CACHE ?? join(homedir(), ".cache", "webgpu-chat-engine");
const SCRIPTS = ["make_fixtures.py", "real_truth.py", "sp_fixture.py"].map((f) =>
  readFileSync(new URL(`../../../scripts/gguf-fixtures/${f}`, import.meta.url)),
);

/** make.sh's output folder: named by the hash of the scripts that write it (as make.sh names it). */
export const GGUF_FIXTURES = join(
  CACHE,
  "gguf-fixtures",
  createHash("sha256").update(Buffer.concat(SCRIPTS)).digest("hex").slice(0, 12),
);

/** The real model's GGUF (scripts/real-model/gguf.sh puts it there). */
export const SMOLLM2_GGUF = join(CACHE, "smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf");

export const BLOCK_TYPES = ["F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q4_K", "Q5_K", "Q6_K"] as const;

export interface GgufTruth {
  prompt: number[];
  /** transformers' float32 logits, one row per prompt position. */
  logits: number[][];
  greedy: number[];
}

export function readFixture(type: string): { bytes: Uint8Array; truth: GgufTruth; file: string } {
  const file = join(GGUF_FIXTURES, `tiny-llama-${type}.gguf`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/gguf-fixtures/make.sh first`);
  const truth = JSON.parse(readFileSync(join(GGUF_FIXTURES, `tiny-llama-${type}.json`), "utf8")) as GgufTruth;
  return { bytes: new Uint8Array(readFileSync(file)), truth, file };
}

/** Which tokenizer texts real_truth.py encodes (dump-texts.ts passes these). */
export const GGUF_TEXT_SEED = 32;
export const GGUF_TEXT_COUNT = 60;
export const GGUF_ADDED_TOKENS = ["<|im_start|>", "<|im_end|>", "<|endoftext|>"];
/** The SentencePiece fixture's texts (sp_fixture.py) hold its control tokens and <unk> instead. */
export const GGUF_SP_ADDED_TOKENS = ["<s>", "</s>", "<unk>"];
