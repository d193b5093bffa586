import { z } from "zod";

/** Decoder architectures the reference runner implements, keyed by Hugging Face class name. */
const ARCHITECTURES = ["Qwen3ForCausalLM", "Qwen2ForCausalLM", "LlamaForCausalLM"] as const;
type Architecture = (typeof ARCHITECTURES)[number];

interface RopeScaling {
  /** Llama 3.x frequency-dependent scaling. */
  type: "llama3";
  factor: number;
  lowFreqFactor: number;
  highFreqFactor: number;
  originalMaxPositionEmbeddings: number;
}

export interface DecoderConfig {
  architecture: Architecture;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  intermediateSize: number;
  vocabSize: number;
  rmsNormEps: number;
  ropeTheta: number;
  ropeScaling?: RopeScaling;
  maxPositionEmbeddings: number;
  tieWordEmbeddings: boolean;
  /** Bias on q/k/v projections (Qwen2 always; Llama/Qwen3 when `attention_bias`). */
  qkvBias: boolean;
  /** Per-head RMSNorm on q and k before RoPE (Qwen3). */
  qkNorm: boolean;
}

/**
 * Built on first use, not at import: a page that imports the package's entry without loading a
 * reference model then carries no zod (module-level schema calls cannot be tree-shaken).
 */
function hfConfigSchema() {
  const posInt = z.number().int().positive();
  return z.looseObject({
    architectures: z.array(z.string()).min(1),
    hidden_size: posInt,
    num_hidden_layers: posInt,
    num_attention_heads: posInt,
    num_key_value_heads: posInt.optional(),
    head_dim: posInt.nullish(),
    intermediate_size: posInt,
    vocab_size: posInt,
    rms_norm_eps: z.number().positive().default(1e-6),
    rope_theta: z.number().positive().default(10000),
    rope_scaling: z
      .looseObject({
        rope_type: z.string().optional(),
        type: z.string().optional(),
        factor: z.number().positive().optional(),
        low_freq_factor: z.number().positive().optional(),
        high_freq_factor: z.number().positive().optional(),
        original_max_position_embeddings: posInt.optional(),
      })
      .nullish(),
    max_position_embeddings: posInt.default(32768),
    tie_word_embeddings: z.boolean().default(false),
    attention_bias: z.boolean().default(false),
    hidden_act: z.string().default("silu"),
  });
}
let hfConfig: ReturnType<typeof hfConfigSchema> | undefined;
type HfConfig = z.infer<ReturnType<typeof hfConfigSchema>>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Read a Hugging Face `config.json` object; `file` names it in errors. */
export function parseConfig(json: unknown, file = "config.json"): DecoderConfig {
  const r = (hfConfig ??= hfConfigSchema()).safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ConfigError(`${file}: field "${issue.path.join(".")}": ${issue.message}`);
  }
  const c = r.data;
  const arch = c.architectures[0]!;
  if (!(ARCHITECTURES as readonly string[]).includes(arch)) {
    throw new ConfigError(
      `${file}: architecture "${arch}" is not supported by the reference runner; supported: ${ARCHITECTURES.join(", ")}`,
    );
  }
  if (c.hidden_act !== "silu") {
    throw new ConfigError(
      `${file}: hidden_act "${c.hidden_act}" is not supported; the reference runner implements silu (SwiGLU)`,
    );
  }
  const numKvHeads = c.num_key_value_heads ?? c.num_attention_heads;
  if (c.num_attention_heads % numKvHeads !== 0) {
    throw new ConfigError(
      `${file}: num_attention_heads (${c.num_attention_heads}) must be a multiple of num_key_value_heads (${numKvHeads})`,
    );
  }
  const headDim = c.head_dim ?? c.hidden_size / c.num_attention_heads;
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) {
    throw new ConfigError(`${file}: head_dim ${headDim} must be an even integer`);
  }
  return {
    architecture: arch as Architecture,
    hiddenSize: c.hidden_size,
    numLayers: c.num_hidden_layers,
    numHeads: c.num_attention_heads,
    numKvHeads,
    headDim,
    intermediateSize: c.intermediate_size,
    vocabSize: c.vocab_size,
    rmsNormEps: c.rms_norm_eps,
    ropeTheta: c.rope_theta,
    ropeScaling: ropeScaling(c.rope_scaling, file),
    maxPositionEmbeddings: c.max_position_embeddings,
    tieWordEmbeddings: c.tie_word_embeddings,
    qkvBias: arch === "Qwen2ForCausalLM" || c.attention_bias,
    qkNorm: arch === "Qwen3ForCausalLM",
  };
}

function ropeScaling(s: HfConfig["rope_scaling"], file: string): RopeScaling | undefined {
  if (!s) return undefined;
  const kind = s.rope_type ?? s.type ?? "default";
  if (kind === "default") return undefined;
  if (kind !== "llama3") {
    throw new ConfigError(`${file}: rope_scaling type "${kind}" is not supported; supported: llama3 (or none)`);
  }
  if (!s.factor || !s.low_freq_factor || !s.high_freq_factor || !s.original_max_position_embeddings) {
    throw new ConfigError(
      `${file}: llama3 rope_scaling needs factor, low_freq_factor, high_freq_factor and original_max_position_embeddings`,
    );
  }
  return {
    type: "llama3",
    factor: s.factor,
    lowFreqFactor: s.low_freq_factor,
    highFreqFactor: s.high_freq_factor,
    originalMaxPositionEmbeddings: s.original_max_position_embeddings,
  };
}
