import { fetchFailure, fetchJson } from "../../models/fetch-json.js";
import { FetchError } from "../../models/fetch-file.js";
import { loadModelFiles } from "../../models/files.js";
import { folderUrl } from "../../models/record.js";
import type { RunnerPlugin } from "../plugin.js";
import { ScriptedRunner } from "./index.js";
import { scriptedRecord, type ScriptedRecord } from "./record.js";

type SizesConfig = { vocab_size?: number; max_position_embeddings?: number };

/** A scripted model: the tokenizer files (and config.json's sizes) of `record.model`, no weights. */
export const scriptedPlugin: RunnerPlugin<ScriptedRecord> = {
  name: "scripted",
  record: scriptedRecord,
  async load(record, ctx) {
    const base = folderUrl(record.model, ctx.baseUrl);
    try {
      const [files, config] = await Promise.all([
        loadModelFiles(base),
        fetchJson<SizesConfig>(base + "config.json").catch((): SizesConfig => ({})),
      ]);
      const tokenizer = await ctx.tokenizer(files, 0);
      // Without config.json: the added tokens come last in Qwen-style vocabularies.
      const vocabSize = config.vocab_size ?? Math.max(...tokenizer.addedTokens.values()) + 1;
      const contextWindow = Math.min(record.context_window ?? Infinity, config.max_position_embeddings ?? 32768);
      const runner = new ScriptedRunner(record.script, tokenizer, vocabSize, contextWindow);
      return { model: await ctx.assemble({ runner, files }) };
    } catch (e) {
      if (e instanceof FetchError) throw fetchFailure(e);
      throw e;
    }
  },
};
