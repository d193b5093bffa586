import type { HfConfig } from "../../src/tiny-model/random-model.js";

const common = {
  hidden_size: 32,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  intermediate_size: 48,
  vocab_size: 97,
  rms_norm_eps: 1e-5,
  max_position_embeddings: 256,
  hidden_act: "silu",
};

/** Tiny random configs, one per supported architecture, each exercising its own features. */
export const TINY_CONFIGS: Record<string, HfConfig> = {
  llama: {
    ...common,
    architectures: ["LlamaForCausalLM"],
    tie_word_embeddings: false,
    rope_theta: 500000,
    rope_scaling: {
      rope_type: "llama3",
      factor: 8,
      low_freq_factor: 1,
      high_freq_factor: 4,
      original_max_position_embeddings: 16,
    },
  },
  qwen2: { ...common, architectures: ["Qwen2ForCausalLM"], tie_word_embeddings: true, rope_theta: 1000000 },
  qwen3: { ...common, architectures: ["Qwen3ForCausalLM"], head_dim: 16, tie_word_embeddings: true, rope_theta: 1000000 },
};
