/** Reading the transformers-made fixtures of test/fixtures/hf/ (see make_hf_fixtures.py there). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ShardedBytes } from "../../../src/runners/reference/index.js";

export const HF_DIR = join(import.meta.dirname, "../../fixtures/hf");
interface Manifest {
  versions: Record<string, string>;
  vocab_size: number;
  sequences: number[][];
  cases: { name: string; dtype: string; form: string; files: string[]; about: string }[];
}
export const manifest = JSON.parse(readFileSync(join(HF_DIR, "cases.json"), "utf8")) as Manifest;
export const readCase = (name: string, file: string) => new Uint8Array(readFileSync(join(HF_DIR, name, file)));
export const caseConfig = (name: string) => JSON.parse(readFileSync(join(HF_DIR, name, "config.json"), "utf8")) as unknown;

/** The weights as stored: one file, or the index and every shard it lists. */
export function caseWeights(name: string, files: string[]): Uint8Array | ShardedBytes {
  if (!files.includes("model.safetensors.index.json")) return readCase(name, "model.safetensors");
  const shards: Record<string, Uint8Array> = {};
  for (const f of files.filter((f) => /^model-\d+-of-\d+\.safetensors$/.test(f))) shards[f] = readCase(name, f);
  return { index: JSON.parse(new TextDecoder().decode(readCase(name, "model.safetensors.index.json"))), shards };
}
