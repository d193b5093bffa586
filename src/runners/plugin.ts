/**
 * What a runner is to the rest of the engine: a plugin that checks its own kind of model record
 * and loads it, either as a ModelRunner the engine wraps (tokenizer, template, loop) or as a whole
 * Backend (a model served elsewhere). The registry lists one entry per runner.
 */
import type { z } from "zod";
import type { Backend } from "../backends/backend.js";
import type { ModelFiles } from "../models/files.js";
import type { BaseModelRecord } from "../models/record.js";
import type { ModelRunner, ProgressCallback } from "./runner.js";

/** A runner loaded with the files beside its weights, for the engine to wrap. */
export interface RunnerParts {
  runner: ModelRunner;
  files: ModelFiles;
  /** End-of-sequence ids beyond the files' own (web-llm's conv_template.stop_token_ids). */
  eosIds?: number[];
}

/** A tokenizer as a runner may use one (the scripted runner writes its replies with it). */
export interface TextTokenizer {
  readonly addedTokens: ReadonlyMap<string, number>;
  tokenId(token: string): number | undefined;
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
  dispose(): void;
}

/**
 * What the loader hands a plugin. `Model` is the engine's loaded model, opaque here so runners
 * never import the engine.
 */
export interface LoadContext<Model> {
  onProgress?: ProgressCallback;
  cacheBackend?: "cache" | "indexeddb";
  /** URL relative model folders resolve against (the worker script's). */
  baseUrl: string;
  /** Wrap a runner in the engine's model; the runner is disposed when that fails. */
  assemble(parts: RunnerParts): Promise<Model>;
  /** The model's tokenizer on its own, for runners that need one to load. */
  tokenizer(files: ModelFiles, vocabSize: number): Promise<TextTokenizer>;
}

export type Loaded<Model> = { model: Model } | { backend: Backend };

export interface RunnerPlugin<R extends BaseModelRecord = BaseModelRecord> {
  /** The record's `runner` value. */
  readonly name: string;
  /** Its records' schema: a record that fails it is a 400 naming the zod path. */
  readonly record: z.ZodType<R>;
  load<Model>(record: R, ctx: LoadContext<Model>): Promise<Loaded<Model>>;
  /** Records it knows by id alone (web-llm's prebuilt list), for load("<id>"). */
  known?(): Promise<readonly R[]>;
}
