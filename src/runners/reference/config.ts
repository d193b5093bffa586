import { z } from "zod";
import { parseRope, type Rope } from "./rope-config.js";

/** Decoder architectures the reference runner implements, keyed by Hugging Face class name. */
const ARCHITECTURES = [
  "Qwen3ForCausalLM",
  "Qwen2ForCausalLM",
  "LlamaForCausalLM",
  "MistralForCausalLM",
  "GraniteForCausalLM",
  "GemmaForCausalLM",
] as const;
type Architecture = (typeof ARCHITECTURES)[number];

interface Family {
  modelType: string;
  /** transformers 5.x class defaults of fields a config.json may leave out. */
  maxPositions: number;
  kvHeads?: number;
  headDim?: number;
  tied?: boolean;
  slidingWindow: "none" | "qwen" | "mistral";
  /** Which config flags add biases: q/k/v/o from attention_bias, MLP from mlp_bias, or q/k/v always (Qwen2). */
  attentionBias: "flag" | "qkv" | "none";
  mlpBias: boolean;
}

const FAMILIES: Record<Architecture, Family> = {
  LlamaForCausalLM: { modelType: "llama", maxPositions: 2048, slidingWindow: "none", attentionBias: "flag", mlpBias: true },
  Qwen2ForCausalLM: {
    modelType: "qwen2",
    maxPositions: 32768,
    kvHeads: 32,
    slidingWindow: "qwen",
    attentionBias: "qkv",
    mlpBias: false,
  },
  Qwen3ForCausalLM: {
    modelType: "qwen3",
    maxPositions: 32768,
    kvHeads: 32,
    headDim: 128,
    slidingWindow: "qwen",
    attentionBias: "flag",
    mlpBias: false,
  },
  MistralForCausalLM: {
    modelType: "mistral",
    maxPositions: 131072,
    kvHeads: 8,
    slidingWindow: "mistral",
    attentionBias: "none",
    mlpBias: false,
  },
  GraniteForCausalLM: { modelType: "granite", maxPositions: 2048, slidingWindow: "none", attentionBias: "flag", mlpBias: true },
  GemmaForCausalLM: {
    modelType: "gemma",
    maxPositions: 8192,
    kvHeads: 16,
    headDim: 256,
    tied: true,
    slidingWindow: "none",
    attentionBias: "flag",
    mlpBias: false,
  },
};

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
  rope: Rope;
  maxPositionEmbeddings: number;
  tieWordEmbeddings: boolean;
  /** Bias on q/k/v projections (Qwen2 always; Llama/Qwen3 when `attention_bias`). */
  qkvBias: boolean;
  /** Bias on o_proj (Llama/Qwen3 when `attention_bias`; never Qwen2 or Mistral). */
  oBias: boolean;
  /** Bias on gate/up/down projections (Llama `mlp_bias`). */
  mlpBias: boolean;
  /** Per-head RMSNorm on q and k before RoPE (Qwen3). */
  qkNorm: boolean;
  /** Per layer: how many positions a query sees (itself included), or null for all of them. */
  slidingWindows: (number | null)[];
  /** MLP gate activation: silu (SwiGLU) or the tanh approximation of gelu (Gemma's GeGLU). */
  activation: "silu" | "gelu_tanh";
  /** RMSNorm gains are stored as w - 1 (Gemma: the norm multiplies by 1 + w). */
  normPlusOne: boolean;
  /** Factor on token embeddings (Gemma sqrt(hidden_size) in float32, Granite embedding_multiplier). */
  embeddingScale: number;
  /** Factor on each attention / MLP output before it joins the residual stream (Granite). */
  residualMultiplier: number;
  /** Factor on q.k (head_dim^-0.5; Granite attention_multiplier). */
  attentionScale: number;
  /** Logits are divided by this (Granite logits_scaling). */
  logitsScaling: number;
}

/**
 * Built on first use, not at import: a page that imports the package's entry without loading a
 * reference model then carries no zod (module-level schema calls cannot be tree-shaken).
 */
function hfConfigSchema() {
  const posInt = z.number().int().positive();
  return z.looseObject({
    architectures: z.array(z.string()).min(1).optional(),
    model_type: z.string().optional(),
    hidden_size: posInt,
    num_hidden_layers: posInt,
    num_attention_heads: posInt,
    num_key_value_heads: posInt.nullish(),
    head_dim: posInt.nullish(),
    intermediate_size: posInt,
    vocab_size: posInt,
    rms_norm_eps: z.number().positive().default(1e-6),
    max_position_embeddings: posInt.optional(),
    rope_theta: z.number().positive().optional(),
    partial_rotary_factor: z.number().positive().nullish(),
    tie_word_embeddings: z.boolean().optional(),
    attention_bias: z.boolean().default(false),
    mlp_bias: z.boolean().default(false),
    hidden_act: z.string().optional(),
    use_bidirectional_attention: z.boolean().nullish(),
    embedding_multiplier: z.number().positive().default(1),
    residual_multiplier: z.number().positive().default(1),
    attention_multiplier: z.number().positive().default(1),
    logits_scaling: z.number().positive().default(1),
    use_sliding_window: z.boolean().default(false),
    sliding_window: posInt.nullish(),
    max_window_layers: z.number().int().nonnegative().default(28),
    layer_types: z.array(z.string()).nullish(),
    quantization_config: z.unknown().optional(),
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

/** Read a Hugging Face `config.json` object (transformers 4.x or 5.x form); `file` names it in errors. */
export function parseConfig(json: unknown, file = "config.json"): DecoderConfig {
  const r = (hfConfig ??= hfConfigSchema()).safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ConfigError(`${file}: field "${issue.path.join(".")}": ${issue.message}`);
  }
  const c = r.data;
  const fail = (msg: string): never => {
    throw new ConfigError(`${file}: ${msg}`);
  };
  const arch = architecture(c, fail);
  const family = FAMILIES[arch];
  if (c.quantization_config !== undefined && c.quantization_config !== null) {
    const method = (c.quantization_config as { quant_method?: unknown }).quant_method;
    fail(
      `quantization_config (quant_method ${JSON.stringify(method)}) is not supported; the reference runner reads F32, F16 and BF16 weights`,
    );
  }
  const activation = mlpActivation(arch, c.hidden_act, fail);
  if (arch === "GemmaForCausalLM" && c.use_bidirectional_attention) {
    fail(`use_bidirectional_attention true is not supported (the runner is causal)`);
  }
  // A missing key takes the class default; an explicit null means one kv head per attention head.
  const kvDefault = "num_key_value_heads" in (json as object) ? undefined : family.kvHeads;
  const numKvHeads = c.num_key_value_heads ?? kvDefault ?? c.num_attention_heads;
  if (c.num_attention_heads % numKvHeads !== 0) {
    fail(`num_attention_heads (${c.num_attention_heads}) must be a multiple of num_key_value_heads (${numKvHeads})`);
  }
  const headDimDefault = "head_dim" in (json as object) ? undefined : family.headDim;
  const headDim = c.head_dim ?? headDimDefault ?? Math.floor(c.hidden_size / c.num_attention_heads);
  if (headDim % 2 !== 0) fail(`head_dim ${headDim} must be even`);
  const maxPositionEmbeddings = c.max_position_embeddings ?? family.maxPositions;
  const bias = family.attentionBias === "flag" && c.attention_bias;
  if (c.mlp_bias && !family.mlpBias) {
    fail(`mlp_bias true is not supported for ${arch} (transformers builds its MLP without bias)`);
  }
  const granite = arch === "GraniteForCausalLM";
  return {
    architecture: arch,
    hiddenSize: c.hidden_size,
    numLayers: c.num_hidden_layers,
    numHeads: c.num_attention_heads,
    numKvHeads,
    headDim,
    intermediateSize: c.intermediate_size,
    vocabSize: c.vocab_size,
    rmsNormEps: c.rms_norm_eps,
    rope: parseRope(json as Record<string, unknown>, { arch, headDim, maxPositionEmbeddings }, fail),
    maxPositionEmbeddings,
    tieWordEmbeddings: c.tie_word_embeddings ?? family.tied ?? false,
    qkvBias: family.attentionBias === "qkv" || bias,
    oBias: bias,
    mlpBias: family.mlpBias && c.mlp_bias,
    qkNorm: arch === "Qwen3ForCausalLM",
    slidingWindows: slidingWindows(c, arch, json as Record<string, unknown>, fail),
    activation,
    normPlusOne: arch === "GemmaForCausalLM",
    embeddingScale: arch === "GemmaForCausalLM" ? Math.fround(Math.sqrt(c.hidden_size)) : granite ? c.embedding_multiplier : 1,
    residualMultiplier: granite ? c.residual_multiplier : 1,
    attentionScale: granite ? c.attention_multiplier : 1 / Math.sqrt(headDim),
    logitsScaling: granite ? c.logits_scaling : 1,
  };
}

/** Gemma's post_init turns "gelu" into the tanh approximation; every other family here uses silu. */
function mlpActivation(arch: Architecture, act: string | undefined, fail: (msg: string) => never): "silu" | "gelu_tanh" {
  if (arch === "GemmaForCausalLM") {
    if (act === undefined || act === "gelu" || act === "gelu_pytorch_tanh") return "gelu_tanh";
    return fail(`hidden_act "${act}" is not supported for ${arch}; supported: gelu_pytorch_tanh (or gelu, read as it)`);
  }
  if (act === undefined || act === "silu") return "silu";
  return fail(`hidden_act "${act}" is not supported; the reference runner implements silu (SwiGLU)`);
}

/** The family: `model_type` when given (what transformers' Auto classes go by), else `architectures[0]`. */
function architecture(c: HfConfig, fail: (msg: string) => never): Architecture {
  const arch = c.architectures?.[0];
  if (c.model_type !== undefined) {
    const byType = ARCHITECTURES.find((a) => FAMILIES[a].modelType === c.model_type);
    if (!byType) {
      const types = ARCHITECTURES.map((a) => FAMILIES[a].modelType).join(", ");
      return fail(`model_type "${c.model_type}" is not supported by the reference runner; supported: ${types}`);
    }
    if (arch !== undefined && arch !== byType) {
      return fail(`architectures[0] "${arch}" does not match model_type "${c.model_type}" (expected ${byType})`);
    }
    return byType;
  }
  if (arch === undefined) return fail(`needs "model_type" or "architectures" to name the model family`);
  if (!(ARCHITECTURES as readonly string[]).includes(arch)) {
    return fail(`architecture "${arch}" is not supported by the reference runner; supported: ${ARCHITECTURES.join(", ")}`);
  }
  return arch as Architecture;
}

/** Which layers attend through a sliding window, exactly as each transformers config class decides it. */
function slidingWindows(
  c: HfConfig,
  arch: Architecture,
  json: Record<string, unknown>,
  fail: (msg: string) => never,
): (number | null)[] {
  const layers = c.num_hidden_layers;
  const kind = FAMILIES[arch].slidingWindow;
  if (kind === "none") return Array<null>(layers).fill(null); // Llama has no window: transformers ignores the fields
  if (kind === "mistral") {
    if (c.layer_types) {
      fail(`layer_types is not supported for MistralForCausalLM (transformers' Mistral ignores it; Ministral uses it)`);
    }
    // A missing key is transformers' default of 4096; null switches the window off.
    const window = "sliding_window" in json ? (c.sliding_window ?? null) : 4096;
    return Array<number | null>(layers).fill(window);
  }
  // Qwen2 / Qwen3: use_sliding_window gates sliding_window; layer_types (or max_window_layers) picks the layers.
  const window = c.use_sliding_window ? ("sliding_window" in json ? (c.sliding_window ?? null) : 4096) : null;
  const types =
    c.layer_types ??
    Array.from({ length: layers }, (_, i) =>
      window !== null && i >= c.max_window_layers ? "sliding_attention" : "full_attention",
    );
  if (types.length !== layers) fail(`layer_types has ${types.length} entries for ${layers} layers`);
  return types.map((t, i) => {
    if (t === "full_attention") return null;
    if (t === "sliding_attention") return window;
    return fail(`layer_types[${i}] "${t}" is not supported; supported: full_attention, sliding_attention`);
  });
}
