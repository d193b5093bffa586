/**
 * Writes tiny-random-qwen3 (docs/architecture.md), or another config (its head_dim 32 twin):
 * config.json, model.safetensors (seeded, the same bytes on every run), the Qwen3 tokenizer files,
 * generation_config.json. Node only: used by
 * the package's CLI and by the repo's test fixtures, so both write the same model.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomSafetensors, TINY_QWEN3_CONFIG, type HfConfig } from "./random-model.js";

export const TINY_MODEL_FILES = [
  "config.json",
  "model.safetensors",
  "tokenizer.json",
  "tokenizer_config.json",
  "generation_config.json",
] as const;
export const TINY_MODEL_SEED = 20260101;

/** The Qwen3 tokenizer files, as bytes (the CLI ships them; the repo reads a devDependency). */
export interface TokenizerFiles {
  tokenizerJson: Uint8Array;
  tokenizerConfigJson: Uint8Array;
}

export function writeTinyModel(
  out: string,
  tokenizer: TokenizerFiles,
  seed = TINY_MODEL_SEED,
  config: HfConfig = TINY_QWEN3_CONFIG,
): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "tokenizer.json"), tokenizer.tokenizerJson);
  writeFileSync(join(out, "tokenizer_config.json"), tokenizer.tokenizerConfigJson);
  writeFileSync(join(out, "config.json"), JSON.stringify(config, null, 2) + "\n");
  writeFileSync(
    join(out, "generation_config.json"),
    JSON.stringify(
      { bos_token_id: 151643, eos_token_id: [151645, 151643], do_sample: true, temperature: 0.6, top_k: 20, top_p: 0.95 },
      null,
      2,
    ) + "\n",
  );
  writeFileSync(join(out, "model.safetensors"), randomSafetensors(config, seed));
}
