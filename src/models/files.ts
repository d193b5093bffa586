/** The files beside a model's weights that the engine reads: tokenizer, its config, generation defaults. */
import { fetchModelFile, readJson } from "./fetch-json.js";

/** tokenizer_config.json: the fields the engine reads. */
export interface TokenizerConfig {
  chat_template?: string | { name: string; template: string }[] | null;
  bos_token?: string | { content: string } | null;
  eos_token?: string | { content: string } | null;
  add_bos_token?: boolean;
  added_tokens_decoder?: Record<string, { content: string; special?: boolean }>;
}

export interface ModelFiles {
  tokenizerJson: ArrayBuffer;
  /** Where tokenizer.json came from, for errors. */
  tokenizerUrl?: string;
  tokenizerConfig: TokenizerConfig;
  generationConfig?: { eos_token_id?: number | number[] } | null;
}

/** Fetch the Hugging Face tokenizer files next to a model. */
export async function loadModelFiles(
  baseUrl: string,
  fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<ModelFiles> {
  const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
  const [tok, cfg, gen] = await Promise.all([
    fetchModelFile(base + "tokenizer.json", fetchFn),
    fetchModelFile(base + "tokenizer_config.json", fetchFn),
    fetchModelFile(base + "generation_config.json", fetchFn, true),
  ]);
  return {
    tokenizerJson: await tok!.arrayBuffer(),
    tokenizerUrl: base + "tokenizer.json",
    tokenizerConfig: await readJson<TokenizerConfig>(cfg!, base + "tokenizer_config.json"),
    generationConfig: gen ? await readJson<ModelFiles["generationConfig"]>(gen, base + "generation_config.json") : null,
  };
}
