import type { ModelRecord as WebLLMRecord } from "@mlc-ai/web-llm";
import { ApiError } from "../../protocol/index.js";
import { fetchJson } from "../../models/fetch-json.js";
import type { WebLLMModelRecord } from "./record.js";
import { modelFilesUrl } from "./files-url.js";
import { checkWebGpu } from "../webgpu-check.js";
import { NEUTRAL_SAMPLING, checkedRecord, toWebLLMRecord } from "./record.js";
import { engineWindow, kvLayout, mergeChatConfig, type MlcChatConfig } from "./window.js";

export interface ResolvedModel {
  /** The record with absolute URLs. */
  rec: WebLLMModelRecord;
  /** Folder of the model's files (mlc-chat-config.json, tokenizer). */
  base: string;
  file: MlcChatConfig & { vocab_size: number };
  /** The record as web-llm gets it. */
  webllm: WebLLMRecord;
  contextWindow: number;
}

/**
 * Everything checked before web-llm downloads anything: the record, the adapter, and the window
 * web-llm will allocate for mlc-chat-config.json merged with the overrides (a cap below a full
 * cache becomes an override, so web-llm allocates only that).
 */
export async function resolveModel(
  record: WebLLMModelRecord,
  opts: { baseUrl?: string; knownModels?: readonly WebLLMModelRecord[]; gpu?: GPU; fetch?: typeof fetch },
): Promise<ResolvedModel> {
  const rec = checkedRecord(record, opts.baseUrl ?? globalThis.location?.href);
  await checkWebGpu(rec, opts.knownModels ?? [], opts.gpu ?? (globalThis.navigator as Navigator | undefined)?.gpu);
  const base = modelFilesUrl(rec.model);
  const file = await fetchJson<MlcChatConfig>(base + "mlc-chat-config.json", opts.fetch);
  const vocabSize = file.vocab_size;
  if (!(typeof vocabSize === "number" && Number.isInteger(vocabSize) && vocabSize > 0))
    throw new ApiError({
      type: "server_error",
      message: `${base}mlc-chat-config.json has no vocab_size.`,
      param: "model",
      code: "bad_model_config",
    });
  const own = kvLayout(mergeChatConfig(file, rec.overrides, NEUTRAL_SAMPLING), rec.model_id);
  const cap = rec.context_window;
  const webllm = toWebLLMRecord(rec, !own.sliding && cap && cap < own.capacity ? cap : null);
  const contextWindow = engineWindow(kvLayout(mergeChatConfig(file, webllm.overrides, NEUTRAL_SAMPLING), rec.model_id), cap);
  return { rec, base, file: { ...file, vocab_size: vocabSize }, webllm, contextWindow };
}
