import { parseConfig, type DecoderConfig } from "../config.js";
import { GgufError } from "./gguf-error.js";
import type { Metadata } from "./metadata.js";

/** general.architecture → the transformers class whose config the runner builds. */
const CLASSES: Record<string, string> = {
  llama: "LlamaForCausalLM",
  qwen2: "Qwen2ForCausalLM",
  qwen3: "Qwen3ForCausalLM",
};

/**
 * The config.json transformers derives from GGUF metadata (its GGUF_CONFIG_MAPPING), parsed by the
 * same code as a safetensors folder's config. `tensors` says whether the head is tied and biases exist.
 */
export function configFromMetadata(md: Metadata, tensors: ReadonlySet<string>): DecoderConfig {
  const arch = md.string("general.architecture");
  const cls = CLASSES[arch];
  if (!cls) {
    throw new GgufError(
      `${md.file}: general.architecture is "${arch}"; the reference runner reads GGUF ${Object.keys(CLASSES).join(", ")} models`,
      md.file,
    );
  }
  const scaling = md.string(`${arch}.rope.scaling.type`, undefined);
  if ((scaling && scaling !== "none") || tensors.has("rope_freqs.weight")) {
    throw new GgufError(`${md.file}: RoPE scaling (${scaling ?? "rope_freqs.weight"}) in a GGUF is not supported yet`, md.file);
  }
  const k = (key: string) => `${arch}.${key}`;
  const heads = md.number(k("attention.head_count"));
  const hidden = md.number(k("embedding_length"));
  const json = {
    architectures: [cls],
    model_type: arch,
    hidden_size: hidden,
    num_hidden_layers: md.number(k("block_count")),
    intermediate_size: md.number(k("feed_forward_length")),
    num_attention_heads: heads,
    num_key_value_heads: md.number(k("attention.head_count_kv"), heads),
    head_dim: md.number(k("attention.key_length"), hidden / heads),
    rms_norm_eps: md.number(k("attention.layer_norm_rms_epsilon")),
    rope_theta: md.number(k("rope.freq_base"), 10000),
    max_position_embeddings: md.number(k("context_length")),
    vocab_size: md.number(k("vocab_size"), undefined) ?? md.strings("tokenizer.ggml.tokens").length,
    tie_word_embeddings: !tensors.has("output.weight"),
    attention_bias: arch !== "qwen2" && tensors.has("blk.0.attn_q.bias"),
  };
  return parseConfig(json, md.file);
}
