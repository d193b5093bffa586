/** Where scripts/gguf-fixtures/make.sh put the tiny GGUFs and transformers' logits (CI runs it first). */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const CACHE = process.env.WEBGPU_CHAT_ENGINE_CACHE ?? join(homedir(), ".cache", "webgpu-chat-engine");
const SCRIPT = new URL("../../../scripts/gguf-fixtures/make_fixtures.py", import.meta.url);

export const GGUF_FIXTURES = join(
  CACHE,
  "gguf-fixtures",
  createHash("sha256").update(readFileSync(SCRIPT)).digest("hex").slice(0, 12),
);

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
