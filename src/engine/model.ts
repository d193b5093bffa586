import type { ModelRunner } from "../runners/runner.js";
import type { ReasoningFormat, ToolFormat } from "../protocol/parser-names.js";
import type { GenerationConfig, ModelFiles } from "../models/files.js";
import type { SamplingDefaults } from "../protocol/params.js";
import { PrefixFeeder } from "./decode/prefix-cache.js";
import { ModelTokenizer } from "./prompt/tokenizer.js";

/** Everything the loop needs of one loaded model. */
export interface LoadedModel {
  id: string;
  runner: ModelRunner;
  tokenizer: ModelTokenizer;
  /** The model's own Jinja chat template (null: requests must bring one). */
  chatTemplate: string | null;
  /** Ids that end generation unless ignore_eos. */
  eosIds: number[];
  /** The tokenizer's eos_token (one of eosIds): vLLM's eos_token_id, the one stop that names no stop_reason. */
  eosTokenId: number | null;
  feeder: PrefixFeeder;
  /** generation_config.json's sampling fields, used where a request leaves them unset (vLLM's --generation-config auto). */
  samplingDefaults: SamplingDefaults;
  /** The record's tool-call syntax; null: detect it from the chat template. */
  toolFormat: ToolFormat | null;
  /** The record's reasoning parser; null: detect it from the chat template. */
  reasoningFormat: ReasoningFormat | null;
}

export interface AssembleOptions {
  /** Overrides the tokenizer_config.json template (a model record's chat_template). */
  chatTemplate?: string;
  /** More end-of-sequence ids (e.g. web-llm's conv_template.stop_token_ids). */
  eosIds?: number[];
  toolFormat?: ToolFormat;
  reasoningFormat?: ReasoningFormat;
}

export async function assembleModel(
  id: string,
  runner: ModelRunner,
  files: ModelFiles,
  opts: AssembleOptions = {},
): Promise<LoadedModel> {
  const tokenizer = await ModelTokenizer.load(files.tokenizerJson, files.tokenizerConfig, runner.vocabSize, files.tokenizerUrl);
  const eos = new Set<number>(opts.eosIds);
  const fromGen = files.generationConfig?.eos_token_id;
  for (const id of Array.isArray(fromGen) ? fromGen : fromGen != null ? [fromGen] : []) eos.add(id);
  const eosTokenId = tokenizer.eosToken ? (tokenizer.tokenId(tokenizer.eosToken) ?? null) : null;
  if (eosTokenId !== null) eos.add(eosTokenId);
  return {
    id,
    runner,
    tokenizer,
    chatTemplate: opts.chatTemplate ?? files.chatTemplate,
    samplingDefaults: samplingDefaults(files.generationConfig),
    eosIds: [...eos],
    eosTokenId,
    feeder: new PrefixFeeder(runner),
    toolFormat: opts.toolFormat ?? null,
    reasoningFormat: opts.reasoningFormat ?? null,
  };
}

const SAMPLING_FIELDS = ["temperature", "top_p", "top_k", "min_p", "repetition_penalty"] as const;

/** The sampling fields generation_config.json sets to a number (others are ignored, as vLLM ignores them). */
function samplingDefaults(config: GenerationConfig | null | undefined): SamplingDefaults {
  const out: { -readonly [K in keyof SamplingDefaults]: number } = {};
  for (const f of SAMPLING_FIELDS) if (typeof config?.[f] === "number") out[f] = config[f];
  return out;
}
