import { ApiError, DEFAULT_LIMITS, type EngineLimits, type NormalizedRequest } from "../../protocol/index.js";
import type { LoadedModel } from "../model.js";
import type { ModelTokenizer } from "./tokenizer.js";
import { PromptCache } from "./incremental.js";
import { renderChat } from "./template.js";

const caches = new WeakMap<ModelTokenizer, PromptCache>();

export interface BuildOptions {
  /** Reuse the ids of an earlier rendering's common prefix (incremental.ts); default true. */
  reuse?: boolean;
}

/** Template, tokenize, special tokens, truncation and the context-window checks. */
export function buildPrompt(
  model: LoadedModel,
  req: NormalizedRequest,
  contextWindow: number,
  limits: EngineLimits = DEFAULT_LIMITS,
  opts: BuildOptions = {},
): Int32Array {
  const t = req.template;
  const source = t.chatTemplate ?? model.chatTemplate;
  if (!source)
    throw ApiError.invalid(
      "chat_template",
      `The model "${model.id}" has no chat template; pass one in chat_template.`,
      "missing_required_parameter",
    );
  const tok = model.tokenizer;
  const text = renderChat(
    source,
    t.chatTemplate ? "chat_template" : "messages",
    t,
    { bos: tok.bosToken, eos: tok.eosToken },
    limits,
  );
  let ids = opts.reuse === false ? tok.encode(text) : promptCache(tok).encode(`${req.cacheSalt ?? ""}\u0000${source}`, text);
  if (t.addSpecialTokens && tok.bosToken && tok.config.add_bos_token !== false) {
    const bos = tok.tokenId(tok.bosToken);
    if (bos !== undefined && ids[0] !== bos) ids = Int32Array.of(bos, ...ids);
  }
  if (t.truncatePromptTokens !== null && ids.length > t.truncatePromptTokens)
    ids = ids.slice(ids.length - t.truncatePromptTokens);
  if (ids.length === 0) throw ApiError.invalid("messages", "The prompt is empty after templating.");
  if (ids.length >= contextWindow) {
    throw new ApiError({
      type: "request_too_large",
      message: `The prompt has ${ids.length} tokens; the model's context window is ${contextWindow}, which leaves no room to generate. Shorten the messages or set truncate_prompt_tokens.`,
      param: "messages",
      code: "context_length_exceeded",
    });
  }
  const max = req.sampling.maxTokens;
  if (max !== null && ids.length + max > contextWindow) {
    throw ApiError.invalid(
      "max_tokens",
      `The context window is ${contextWindow} tokens; the prompt has ${ids.length} and max_tokens asks for ${max} more. Lower max_tokens to at most ${contextWindow - ids.length}.`,
      "context_length_exceeded",
    );
  }
  return ids;
}

function promptCache(tok: ModelTokenizer): PromptCache {
  let c = caches.get(tok);
  if (!c) caches.set(tok, (c = new PromptCache(tok)));
  return c;
}
