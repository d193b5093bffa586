import type { ModelFiles } from "../../../engine/model.js";
import { ReferenceRunner } from "../index.js";
import { configFromMetadata } from "./config.js";
import type { GgufHeader } from "./header.js";
import { Metadata } from "./metadata.js";
import { GgufTensors } from "./tensors.js";
import { tokenizerFromMetadata } from "./tokenizer.js";

/** A reference runner and the tokenizer files, both from one GGUF file's bytes. */
export function modelFromGguf(
  header: GgufHeader,
  bytes: Uint8Array,
  file: string,
  contextWindow?: number,
): { runner: ReferenceRunner; files: ModelFiles } {
  const md = new Metadata(header.metadata, file);
  const config = configFromMetadata(md, new Set(header.tensors.keys()));
  const files = tokenizerFromMetadata(md);
  // llama.cpp interleaves Llama's q/k rows for its RoPE; Qwen's files keep transformers' order.
  const permute = new Map<string, number>(
    config.architecture === "LlamaForCausalLM"
      ? [
          ["attn_q", config.numHeads],
          ["attn_k", config.numKvHeads],
        ]
      : [],
  );
  const runner = new ReferenceRunner(config, new GgufTensors(header, bytes, file, permute), contextWindow);
  return { runner, files };
}
