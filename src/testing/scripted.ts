import { DEFAULT_MODEL_BASE, TINY_MODEL_ID } from "../models/record.js";
import type { ModelRecord } from "../runners/registry.js";
import { scriptProblem, type ModelScript } from "../runners/scripted/script.js";
import { SCRIPTED_MODEL_KEY, type ScriptedModelOverride } from "../client/scripted-override.js";

export interface ScriptedModelOptions {
  /** The model id requests name (default "scripted"). */
  id?: string;
  /**
   * Folder with the Qwen3 tokenizer files (tokenizer.json, tokenizer_config.json; config.json
   * optional): the tiny model's, `<modelBaseUrl>tiny-random-qwen3/` unless given.
   */
  tokenizerUrl?: string;
}

/** A model record whose answers are `script`, for `createEngine({ model })` or `engine.load()`. */
export function scriptedModel(script: ModelScript, opts: ScriptedModelOptions = {}): ModelRecord {
  checkScript(script);
  return {
    model_id: opts.id ?? "scripted",
    model: opts.tokenizerUrl ?? `${DEFAULT_MODEL_BASE}${TINY_MODEL_ID}/`,
    runner: "scripted",
    script,
  };
}

/** The part of Playwright's Page this needs (so this package does not depend on Playwright). */
export interface PageWithInitScript {
  addInitScript(script: (arg: OverrideArg) => void, arg: OverrideArg): Promise<unknown>;
}

/** What useScriptedModel hands the page: the global's key and the override. */
interface OverrideArg {
  key: string;
  value: { script: ModelScript; tokenizerUrl?: string };
}

/**
 * For an app under test that creates its own engine: before the page loads, make every model it
 * loads (whatever id or record) the scripted model under the same id. Call before `page.goto`.
 */
export async function useScriptedModel(
  page: PageWithInitScript,
  script: ModelScript,
  opts: Pick<ScriptedModelOptions, "tokenizerUrl"> = {},
): Promise<void> {
  checkScript(script);
  const override: ScriptedModelOverride =
    opts.tokenizerUrl === undefined ? { script } : { script, tokenizerUrl: opts.tokenizerUrl };
  await page.addInitScript(
    ({ key, value }) => {
      (globalThis as Record<symbol, unknown>)[Symbol.for(key)] = value;
    },
    { key: SCRIPTED_MODEL_KEY, value: override },
  );
}

function checkScript(script: ModelScript): void {
  const problem = scriptProblem(script);
  if (problem) throw new TypeError(`script${problem.path ? "." + problem.path : ""} ${problem.message}`);
}
