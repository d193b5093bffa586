import { DEFAULT_LIMITS, planErrors, type EngineLimits, type NormalizedRequest } from "../../protocol/index.js";
import type { LoadedModel } from "../model.js";
import type { ModelTokenizer } from "./tokenizer.js";
import { PromptCache } from "./incremental.js";
import { renderChat } from "./template.js";

const caches = new WeakMap<ModelTokenizer, PromptCache>();

export interface BuildOptions {
  /**
   * Earlier work to reuse: "all" (default): the ids of an earlier rendering's common prefix
   * (incremental.ts) and words already encoded (word-cache.ts); "words": only the words (what a
   * tokenizer's own word cache keeps); "none": nothing.
   */
  reuse?: "all" | "words" | "none";
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
  if (!source) throw planErrors.noChatTemplate(model.id);
  const tok = model.tokenizer;
  const text = renderChat(source, planErrors.templateParam(t), t, { bos: tok.bosToken, eos: tok.eosToken }, limits);
  const reuse = opts.reuse ?? "all";
  let ids =
    reuse === "all"
      ? promptCache(tok).encode(`${req.cacheSalt ?? ""}\u0000${source}`, text)
      : tok.encode(text, { reuse: reuse === "words" });
  if (t.addSpecialTokens && tok.bosToken && tok.config.add_bos_token !== false) {
    const bos = tok.tokenId(tok.bosToken);
    if (bos !== undefined && ids[0] !== bos) ids = Int32Array.of(bos, ...ids);
  }
  if (t.truncatePromptTokens !== null && ids.length > t.truncatePromptTokens)
    ids = t.truncateLeft ? ids.slice(ids.length - t.truncatePromptTokens) : ids.slice(0, t.truncatePromptTokens);
  planErrors.checkPromptFits(ids.length, req.sampling.maxTokens, contextWindow);
  return ids;
}

function promptCache(tok: ModelTokenizer): PromptCache {
  let c = caches.get(tok);
  if (!c) caches.set(tok, (c = new PromptCache(tok)));
  return c;
}
