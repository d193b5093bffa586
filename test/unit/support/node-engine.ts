/**
 * The whole engine in Node (template, tokenizer, loop, xgrammar, parsers, responses), on a model
 * folder read from disk, for tests of whole requests. Needs the UMD hook Vitest registers
 * (vitest.config.ts execArgv; outside Vitest: `node --import ./test/node/register.mjs`).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Engine, type EngineOptions } from "../../../src/engine/engine.js";
import { assembleModel, type AssembleOptions } from "../../../src/engine/model.js";
import { loadModelFiles } from "../../../src/models/files.js";
import { XGrammarProvider } from "../../../src/engine/structured/xgrammar.js";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";
import type { ModelRunner } from "../../../src/runners/runner.js";
import { fileFetch } from "./file-fetch.js";

export interface NodeEngineOptions extends EngineOptions, AssembleOptions {
  /** The id requests name in `model` (default: the folder's name). */
  modelId?: string;
  /** Run this runner instead of the reference runner on the folder's weights (its tokenizer files are still read). */
  runner?: ModelRunner;
  /** Cap the reference runner's KV cache below max_position_embeddings. */
  runnerContextWindow?: number;
}

/**
 * An Engine with one model loaded from `modelDir` (a Hugging Face folder: config.json, tokenizer.json,
 * tokenizer_config.json, model.safetensors or shards) on the exact CPU reference runner, and xgrammar
 * for structured outputs, as the worker sets it up.
 */
export async function createNodeEngine(modelDir: string, opts: NodeEngineOptions = {}): Promise<Engine> {
  const base = pathToFileURL(resolve(modelDir) + "/").href;
  const id = opts.modelId ?? base.split("/").at(-2)!;
  const fetch = fileFetch as typeof globalThis.fetch;
  const [runner, files] = await Promise.all([
    opts.runner ?? ReferenceRunner.load(base, { fetch, contextWindow: opts.runnerContextWindow }),
    loadModelFiles(base, fetch),
  ]);
  const engine = new Engine({ constraints: new XGrammarProvider(), ...opts });
  engine.addModel(await assembleModel(id, runner, files, opts));
  return engine;
}
