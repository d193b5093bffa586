import type { ModelFiles } from "../../../models/files.js";
import { ReferenceRunner } from "../index.js";
import { wasmKernels, type WasmKernels } from "../kernels/wasm-kernels.js";
import { configFromMetadata } from "./config.js";
import type { GgufHeader } from "./header.js";
import { Metadata } from "./metadata.js";
import { GgufTensors } from "./tensors.js";
import { tokenizerFromMetadata } from "./tokenizer.js";

export interface GgufModelOptions {
  contextWindow?: number;
  /** null: keep weights in JS and run the scalar kernels (the SIMD kernels' twin); default: wasm SIMD. */
  kernels?: WasmKernels | null;
}

/** A reference runner and the tokenizer files, both from one GGUF file's bytes. */
export async function modelFromGguf(
  header: GgufHeader,
  bytes: Uint8Array,
  file: string,
  opts: GgufModelOptions = {},
): Promise<{ runner: ReferenceRunner; files: ModelFiles }> {
  const kernels = opts.kernels === null ? undefined : (opts.kernels ?? (await wasmKernels()));
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
  // Bytes read straight into the kernels' memory (readGguf with kernels) are used where they are.
  const inKernels = kernels && bytes.buffer === kernels.memory.buffer;
  const view = inKernels ? () => kernels.bytes(bytes.byteOffset, bytes.byteLength) : () => bytes;
  const runner = new ReferenceRunner(config, new GgufTensors(header, view, file, permute, kernels), opts.contextWindow);
  return { runner, files };
}
