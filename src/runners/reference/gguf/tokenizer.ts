import type { ModelFiles } from "../../../models/files.js";
import { GgufError } from "./gguf-error.js";
import type { Metadata } from "./metadata.js";
import { spmTokenizerJson, type AddedTokenEntry } from "./spm-tokenizer.js";

const BYTE_LEVEL = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
const QWEN2_SPLIT =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const LLAMA3_SPLIT =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const split = (regex: string) => ({
  type: "Sequence",
  pretokenizers: [
    { type: "Split", pattern: { Regex: regex }, behavior: "Isolated", invert: false },
    { ...BYTE_LEVEL, use_regex: false },
  ],
});

/** tokenizer.ggml.pre → the pre-tokenizer of the model's own tokenizer.json (llama.cpp's table of them). */
const PRE_TOKENIZERS: Record<string, object> = {
  gpt2: BYTE_LEVEL,
  default: BYTE_LEVEL,
  smollm: { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: true }, BYTE_LEVEL] },
  qwen2: split(QWEN2_SPLIT),
  "llama-bpe": split(LLAMA3_SPLIT),
};

/** Token types in tokenizer.ggml.token_type (llama.cpp's llama_token_type). */
const CONTROL = 3;
const USER_DEFINED = 4;

/**
 * A Hugging Face tokenizer.json + tokenizer_config.json rebuilt from `tokenizer.ggml.*`: GPT-2
 * byte-level BPE (`gpt2`) or SentencePiece (`llama`, spm-tokenizer.ts), the chat template and
 * bos/eos from the metadata.
 */
export function tokenizerFromMetadata(md: Metadata): ModelFiles {
  const model = md.string("tokenizer.ggml.model");
  const build = BUILDERS[model];
  if (!build) {
    throw new GgufError(
      `${md.file}: tokenizer.ggml.model is "${model}"; the reference runner rebuilds ${Object.keys(BUILDERS)
        .map((k) => `"${k}"`)
        .join(" and ")} tokenizers only: convert the model with one of those, or load its safetensors folder`,
      md.file,
    );
  }
  const { json, added } = build(md);
  const tokens = md.strings("tokenizer.ggml.tokens");
  const token = (key: string) => {
    const id = md.number(`tokenizer.ggml.${key}_token_id`, undefined);
    return id === undefined ? null : (tokens[id] ?? null);
  };
  const chatTemplate = md.string("tokenizer.chat_template", undefined) ?? null;
  return {
    tokenizerJson: new TextEncoder().encode(json).buffer as ArrayBuffer,
    tokenizerUrl: md.file,
    chatTemplate,
    tokenizerConfig: {
      chat_template: chatTemplate,
      bos_token: token("bos"),
      eos_token: token("eos"),
      // llama.cpp's defaults: SentencePiece models start with bos, GPT-2 BPE ones do not.
      add_bos_token: md.boolean("tokenizer.ggml.add_bos_token", model === "llama"),
      added_tokens_decoder: Object.fromEntries(added.map((t) => [String(t.id), { content: t.content, special: t.special }])),
    },
  };
}

/** A GPT-2 byte-level BPE over the file's vocabulary and merges; control and user-defined tokens are added tokens. */
function gpt2TokenizerJson(md: Metadata): { json: string; added: AddedTokenEntry[] } {
  const pre = md.string("tokenizer.ggml.pre", undefined) ?? "default";
  const preTokenizer = PRE_TOKENIZERS[pre];
  if (!preTokenizer) {
    throw new GgufError(
      `${md.file}: tokenizer.ggml.pre "${pre}" is not one the reference runner knows (${Object.keys(PRE_TOKENIZERS).join(", ")}); its text would be split wrongly`,
      md.file,
    );
  }
  const tokens = md.strings("tokenizer.ggml.tokens");
  const types = md.numbers("tokenizer.ggml.token_type") ?? [];
  const merges = md.strings("tokenizer.ggml.merges");
  const added = tokens.flatMap((content, id): AddedTokenEntry[] =>
    types[id] === CONTROL || types[id] === USER_DEFINED
      ? [{ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: types[id] === CONTROL }]
      : [],
  );
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: preTokenizer,
    post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
    },
  };
  return { json: withVocab(JSON.stringify(json), tokens, merges), added };
}

/**
 * `json` (whose last key is the model object) with the model's vocab and merges appended, written
 * as text: a 49k-key object built only to be stringified costs more than the strings themselves.
 * A token listed twice maps to its last id, as a JSON parser reading both keys keeps.
 */
function withVocab(json: string, tokens: readonly string[], merges: readonly string[]): string {
  const vocab = tokens.map((t, i) => `${JSON.stringify(t)}:${i}`).join(",");
  return `${json.slice(0, -2)},"vocab":{${vocab}},"merges":${JSON.stringify(merges)}}}`;
}

/** tokenizer.ggml.model → its tokenizer.json (transformers' GGUF converter for that model). */
const BUILDERS: Record<string, (md: Metadata) => { json: string; added: AddedTokenEntry[] }> = {
  gpt2: gpt2TokenizerJson,
  llama: (md) => {
    const { json, added } = spmTokenizerJson(md);
    return { json: JSON.stringify(json), added };
  },
};
