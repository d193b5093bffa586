/**
 * The files beside a model's weights that the engine reads, as current tools write them: the
 * tokenizer and its config, the chat template (transformers now saves it as chat_template.jinja;
 * older folders carry chat_template.json or the template inside tokenizer_config.json) and
 * generation_config.json (end-of-sequence ids and the sampling defaults vLLM applies).
 */
import type { SamplingDefaults } from "../protocol/params.js";
import { fetchModelFile, readJson } from "./fetch-json.js";

/** tokenizer_config.json: the fields the engine reads. */
export interface TokenizerConfig {
  chat_template?: string | { name: string; template: string }[] | null;
  bos_token?: string | { content: string } | null;
  eos_token?: string | { content: string } | null;
  add_bos_token?: boolean;
  added_tokens_decoder?: Record<string, { content: string; special?: boolean }>;
}

type TemplateField = TokenizerConfig["chat_template"];

/** generation_config.json: end-of-sequence ids and the sampling fields vLLM reads as defaults. */
export interface GenerationConfig extends SamplingDefaults {
  eos_token_id?: number | number[];
}

export interface ModelFiles {
  tokenizerJson: ArrayBuffer;
  /** Where tokenizer.json came from, for errors. */
  tokenizerUrl?: string;
  tokenizerConfig: TokenizerConfig;
  /** The folder's chat template: chat_template.jinja, else chat_template.json, else tokenizer_config.json's (null: none). */
  chatTemplate: string | null;
  generationConfig?: GenerationConfig | null;
}

/**
 * Fetch the Hugging Face files next to a model. Optional files are absent when missing or
 * unreachable (a folder stored for offline use keeps only the files it has).
 */
export async function loadModelFiles(
  baseUrl: string,
  fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<ModelFiles> {
  const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
  const optional = (name: string) => fetchModelFile(base + name, fetchFn, true).catch(() => null);
  const [tok, cfg, gen, jinja, templateJson] = await Promise.all([
    fetchModelFile(base + "tokenizer.json", fetchFn),
    fetchModelFile(base + "tokenizer_config.json", fetchFn),
    optional("generation_config.json"),
    optional("chat_template.jinja"),
    optional("chat_template.json"),
  ]);
  const tokenizerConfig = await readJson<TokenizerConfig>(cfg!, base + "tokenizer_config.json");
  const fromJson = templateJson
    ? (await readJson<{ chat_template?: TemplateField }>(templateJson, base + "chat_template.json")).chat_template
    : null;
  return {
    tokenizerJson: await tok!.arrayBuffer(),
    tokenizerUrl: base + "tokenizer.json",
    tokenizerConfig,
    // transformers' order: the .jinja file wins over chat_template.json, which wins over the config's.
    chatTemplate: (jinja ? await jinja.text() : null) ?? pickTemplate(fromJson) ?? pickTemplate(tokenizerConfig.chat_template),
    generationConfig: gen ? await readJson<GenerationConfig>(gen, base + "generation_config.json") : null,
  };
}

/** A template field: one template, or named ones (the "default" one, else the first). */
function pickTemplate(t: TemplateField): string | null {
  if (t == null) return null;
  if (typeof t === "string") return t;
  return (t.find((x) => x.name === "default") ?? t[0])?.template ?? null;
}
