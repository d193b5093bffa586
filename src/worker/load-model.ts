import { assembleModel, type LoadedModel } from "../engine/model.js";
import { ModelTokenizer } from "../engine/prompt/tokenizer.js";
import { ApiError } from "../protocol/index.js";
import { DEFAULT_MODEL_BASE, TINY_MODEL_ID, tinyRecord, type BaseModelRecord, type RecordHead } from "../models/record.js";
import type { LoadContext, Loaded, RunnerParts } from "../runners/plugin.js";
import { checkRecord } from "../runners/record-check.js";
import { CATALOG, closestIds } from "../runners/catalog.js";
import { DEFAULT_RUNNER, RUNNERS, type ModelSpec } from "../runners/registry.js";
import type { ProgressCallback } from "../models/progress.js";

export interface LoadOptions {
  onProgress?: ProgressCallback;
  cacheBackend?: "cache" | "indexeddb";
}

/** Turn an id or record into a model on the runner it names, through that runner's plugin. */
export async function loadModel(spec: ModelSpec, opts: LoadOptions = {}): Promise<Loaded<LoadedModel>> {
  const record = await resolveRecord(spec);
  const plugin = await pluginOf(record);
  const checked = checkRecord(plugin, record);
  const ctx: LoadContext<LoadedModel> = {
    ...opts,
    baseUrl: self.location.href,
    assemble: (parts) => assemble(checked, parts),
    tokenizer: (files, vocabSize) =>
      ModelTokenizer.load(files.tokenizerJson, files.tokenizerConfig, vocabSize, files.tokenizerUrl),
  };
  return plugin.load(checked, ctx);
}

async function assemble(
  record: RecordHead & Partial<BaseModelRecord>,
  { runner, files, eosIds }: RunnerParts,
): Promise<LoadedModel> {
  try {
    return await assembleModel(record.model_id, runner, files, {
      chatTemplate: record.chat_template,
      toolFormat: record.tool_parser,
      reasoningFormat: record.reasoning_parser,
      eosIds,
    });
  } catch (e) {
    await runner.dispose();
    throw e;
  }
}

/** The plugin of the record's runner; an unknown runner is a 400 listing the known ones. */
async function pluginOf(record: unknown) {
  if (typeof record !== "object" || record === null || Array.isArray(record))
    throw ApiError.invalid("model", "A model must be an id or a record ({ model_id, model, runner? }).", "invalid_model_record");
  const name = (record as RecordHead).runner ?? DEFAULT_RUNNER;
  const entry = RUNNERS.find((r) => r.name === name);
  if (!entry)
    throw ApiError.invalid(
      "model.runner",
      `model.runner must be one of ${RUNNERS.map((r) => r.name).join(", ")}, got ${JSON.stringify(name)}.`,
      "invalid_model_record",
    );
  return entry.plugin();
}

/** An id's record: the tiny model's, or one a runner knows by id (web-llm's prebuilt list). */
async function resolveRecord(spec: ModelSpec): Promise<unknown> {
  if (typeof spec !== "string") return spec;
  if (spec === TINY_MODEL_ID) return tinyRecord(new URL(DEFAULT_MODEL_BASE, self.location.origin).href);
  const known: string[] = [...CATALOG.map((e) => e.id), TINY_MODEL_ID];
  for (const entry of RUNNERS) {
    const records = (await (await entry.plugin()).known?.()) ?? [];
    const found = records.find((r) => r.model_id === spec);
    if (found) return found;
    known.push(...records.map((r) => r.model_id));
  }
  const near = closestIds(spec, known);
  const hint = near.length ? ` Did you mean ${near.map((id) => `"${id}"`).join(", ")}?` : "";
  throw new ApiError({
    type: "not_found_error",
    message: `Unknown model "${spec}": not a catalog id, a web-llm prebuilt id nor "${TINY_MODEL_ID}".${hint} Pass a ModelRecord ({ model_id, model, model_lib }) for a custom model.`,
    param: "model",
    code: "model_not_found",
  });
}
