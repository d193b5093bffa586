import type { ModelRunner } from "../runners/runner.js";
import { PrefixFeeder } from "./prefix-cache.js";
import { ModelTokenizer, type TokenizerConfig } from "./tokenizer.js";

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
}

export interface ModelFiles {
  tokenizerJson: ArrayBuffer;
  tokenizerConfig: TokenizerConfig;
  generationConfig?: { eos_token_id?: number | number[] } | null;
}

export async function assembleModel(id: string, runner: ModelRunner, files: ModelFiles): Promise<LoadedModel> {
  const tokenizer = await ModelTokenizer.load(files.tokenizerJson, files.tokenizerConfig, runner.vocabSize);
  const eos = new Set<number>();
  const fromGen = files.generationConfig?.eos_token_id;
  for (const id of Array.isArray(fromGen) ? fromGen : fromGen != null ? [fromGen] : []) eos.add(id);
  if (tokenizer.eosToken) {
    const id = tokenizer.tokenId(tokenizer.eosToken);
    if (id !== undefined) eos.add(id);
  }
  return { id, runner, tokenizer, chatTemplate: pickTemplate(files.tokenizerConfig.chat_template), eosIds: [...eos], feeder: new PrefixFeeder(runner) };
}

function pickTemplate(t: TokenizerConfig["chat_template"]): string | null {
  if (t == null) return null;
  if (typeof t === "string") return t;
  return (t.find((x) => x.name === "default") ?? t[0])?.template ?? null;
}

/** Fetch the Hugging Face tokenizer files next to a model and put the model together. */
export async function loadModelFiles(baseUrl: string, fetchFn: typeof fetch = fetch): Promise<ModelFiles> {
  const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
  const get = async (name: string, optional = false): Promise<Response | null> => {
    let res: Response;
    try {
      res = await fetchFn(base + name);
    } catch (e) {
      throw new Error(`could not fetch ${base}${name}: ${(e as Error).message}`);
    }
    if (!res.ok) {
      if (optional && res.status === 404) return null;
      throw new Error(`could not fetch ${base}${name}: HTTP ${res.status}`);
    }
    return res;
  };
  const [tok, cfg, gen] = await Promise.all([get("tokenizer.json"), get("tokenizer_config.json"), get("generation_config.json", true)]);
  return {
    tokenizerJson: await tok!.arrayBuffer(),
    tokenizerConfig: (await cfg!.json()) as TokenizerConfig,
    generationConfig: gen ? ((await gen.json()) as ModelFiles["generationConfig"]) : null,
  };
}
