import type { ModelRunner } from "../runners/runner.js";
import type { ReasoningFormat, ToolFormat } from "../protocol/parser-names.js";
import type { ModelFiles, TokenizerConfig } from "../models/files.js";
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
  feeder: PrefixFeeder;
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
  if (tokenizer.eosToken) {
    const id = tokenizer.tokenId(tokenizer.eosToken);
    if (id !== undefined) eos.add(id);
  }
  return {
    id,
    runner,
    tokenizer,
    chatTemplate: opts.chatTemplate ?? pickTemplate(files.tokenizerConfig.chat_template),
    eosIds: [...eos],
    feeder: new PrefixFeeder(runner),
    toolFormat: opts.toolFormat ?? null,
    reasoningFormat: opts.reasoningFormat ?? null,
  };
}

function pickTemplate(t: TokenizerConfig["chat_template"]): string | null {
  if (t == null) return null;
  if (typeof t === "string") return t;
  return (t.find((x) => x.name === "default") ?? t[0])?.template ?? null;
}
