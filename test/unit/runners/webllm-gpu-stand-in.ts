/**
 * web-llm's REAL MLCEngine with only the GPU replaced: `reloadInternal` runs web-llm's own code
 * (record lookup, URL cleaning, config download through its artifact cache, its config merge) up
 * to the model library download, which needs a real GPU; there a stand-in LLMChatPipeline is put
 * in the engine's pipeline map. The stand-in keeps a token list as its KV cache, sizes it the way
 * LLMChatPipeline's constructor does from web-llm's merged config, and counts every GPU↔CPU copy
 * and sync the runner asks of it. The Cache API (absent in Node) is a stand-in over given files.
 */
import { createHash } from "node:crypto";
import { MLCEngine, type MLCEngineConfig } from "@mlc-ai/web-llm";
import { afterEach, beforeEach, vi } from "vitest";
import { modelFilesUrl, type ModelRecord } from "../../../src/runners/records.js";
import { WebLLMRunner, type WebLLMLoadOptions } from "../../../src/runners/webllm/index.js";

export const VOCAB = 32;

/** Logits a model would give after `context`: a distinct, checkable row per prefix. */
export const rowFor = (context: readonly number[]) =>
  Float32Array.from({ length: VOCAB }, (_, i) => ((context.reduce((a, t, k) => a + t * (k + 3), 0) + i * 7) % 23) - 11);

/** Thrown by the cache stand-in at the model library download: past it web-llm needs a GPU. */
export class ReachedModelLib extends Error {
  constructor(readonly url: string) {
    super(`stand-in: reached the model library download ${url}`);
  }
}

/** The Cache API over `files` (URL -> JSON body); records every URL web-llm downloads. */
export function cacheStandIn(files: Map<string, unknown>, modelLibs: Set<string>, downloads: string[]): CacheStorage {
  const stored = new Map<string, Response>();
  const cache = {
    match: async (req: Request) => stored.get(req.url)?.clone(),
    add: async (req: Request) => {
      downloads.push(req.url);
      if (modelLibs.has(req.url)) throw new ReachedModelLib(req.url);
      const body = files.get(req.url);
      if (body === undefined) throw new TypeError(`Failed to execute 'add' on 'Cache': Request failed (404) ${req.url}`);
      stored.set(req.url, new Response(JSON.stringify(body)));
    },
    keys: async () => [...stored.keys()].map((u) => new Request(u)),
    delete: async (url: string) => stored.delete(url),
  };
  return { open: async () => cache } as unknown as CacheStorage;
}

/** A minimal valid mlc-model-manifest.json (web-llm checks its interface_id against the tasks' hash). */
export function modelManifest() {
  const tasks = { chat: { executor: "chat", inputs: { text: { processor: "text" } }, output: "text" } };
  // web-llm hashes the canonical JSON (sorted keys, no spaces) of { tasks }; this one is already sorted.
  const interfaceId = "sha256:" + createHash("sha256").update(JSON.stringify({ tasks })).digest("hex");
  return {
    schema: "mlc.model-package",
    schema_version: 1,
    interface_id: interfaceId,
    weights: { manifest: "tensor-cache.json", parameter_schema_id: "sha256:" + "0".repeat(64) },
    tasks,
  };
}

interface Counts {
  forwards: number;
  fedTokens: number;
  gpuToCpuCopies: number;
  cpuToGpuLogitUploads: number;
  syncs: number;
  jsArrayCopies: number;
  samplingKernels: number;
  pops: number;
}

class StandInTvm {
  readonly ctx = { autoDisposeScope: [] as unknown[][] };
  beginScope() {
    this.ctx.autoDisposeScope.push([]);
  }
  endScope() {
    if (this.ctx.autoDisposeScope.length === 0) throw new Error("tvm.endScope called when the stack is empty.");
    this.ctx.autoDisposeScope.pop();
  }
  scalar(value: number, dtype: string) {
    return { value, dtype };
  }
  constructor(private readonly pipeline: StandInPipeline) {}
  getGlobalFunc(name: string) {
    if (name !== "vm.builtin.kv_state_popn" || !this.pipeline.hasPopn) throw new Error("Cannot find global function " + name);
    return (kv: unknown, _seq: unknown, n: { value: number }) => {
      if (kv !== this.pipeline.kvCache) throw new Error("popn on another state");
      const tokens = this.pipeline.kvCache.tokens;
      if (n.value > tokens.length) throw new Error(`The sequence only has length ${tokens.length}`);
      tokens.length -= n.value;
      this.pipeline.counts.pops++;
    };
  }
}

/** LLMChatPipeline's members the runner reads, with a token list as the KV cache and counters. */
export class StandInPipeline {
  readonly tvm = new StandInTvm(this);
  readonly kvCache = { tokens: [] as number[] };
  rnnState: unknown = undefined;
  readonly contextWindowSize: number;
  readonly slidingWindowSize: number;
  /** LLMChatPipeline's max_total_sequence_length: what the paged KV cache is created with. */
  readonly capacity: number;
  filledKVCacheLength = 0;
  logitsOnCPU?: { toArray(): Float32Array; dispose(): void };
  readonly counts: Counts = {
    forwards: 0,
    fedTokens: 0,
    gpuToCpuCopies: 0,
    cpuToGpuLogitUploads: 0,
    syncs: 0,
    jsArrayCopies: 0,
    samplingKernels: 0,
    pops: 0,
  };
  disposed = false;
  hasPopn = true;
  /** Holds the next forward until released (to race it against an unload). */
  gate?: Promise<void>;
  /** Make the next forward fail after opening a scope (as embedAndForward does without try/finally). */
  failNext?: Error;
  private pendingRow?: Float32Array;

  constructor(readonly config: Record<string, unknown>) {
    this.contextWindowSize = config.context_window_size as number;
    this.slidingWindowSize = config.sliding_window_size as number;
    this.capacity = this.slidingWindowSize != -1 ? this.slidingWindowSize : this.contextWindowSize;
  }

  async forwardKnownTokens(ids: number[], _isPrefill: boolean) {
    this.tvm.beginScope();
    if (this.gate) await this.gate;
    if (this.disposed) throw new Error("Failed to execute 'mapAsync' on 'GPUBuffer': Device is lost");
    const fail = this.failNext;
    this.failNext = undefined;
    if (fail) throw fail;
    const tokens = this.kvCache.tokens;
    if (this.slidingWindowSize === -1 && tokens.length + ids.length > this.capacity)
      throw new Error("The KV cache is full. No page can be allocated.");
    tokens.push(...ids);
    this.filledKVCacheLength += ids.length;
    this.counts.forwards++;
    this.counts.fedTokens += ids.length;
    this.tvm.endScope();
    const row = rowFor(tokens);
    return { row, dispose: () => {} };
  }

  updateLogitsOnCPU(logits: { row: Float32Array }) {
    this.counts.gpuToCpuCopies++;
    this.pendingRow = logits.row;
    return logits;
  }

  async sync() {
    this.counts.syncs++;
    const row = this.pendingRow;
    this.pendingRow = undefined;
    if (row)
      this.logitsOnCPU = {
        toArray: () => (this.counts.jsArrayCopies++, row.slice()),
        dispose: () => {},
      };
  }

  resetChat() {
    this.kvCache.tokens.length = 0;
    this.filledKVCacheLength = 0;
  }

  dispose() {
    this.disposed = true;
  }
}

/** web-llm's members this file reaches (private in its typings). */
interface EngineInternals {
  reloadInternal(modelId: string, chatOpts?: unknown): Promise<void>;
  loadedModelIdToPipeline: Map<string, unknown>;
  loadedModelIdToChatConfig: Map<string, Record<string, unknown>>;
}

export interface GpuFreeEngine {
  engine: MLCEngine;
  /** Each pipeline made, in order (a reload makes a new one). */
  pipelines: StandInPipeline[];
  current(): StandInPipeline;
  /** The config web-llm merged (mlc-chat-config.json, the record's overrides, the reload's chat options). */
  mergedConfig(modelId: string): Record<string, unknown> | undefined;
  /** Make the next reload fail with this error (after web-llm's own steps). */
  failReload?: Error;
  /** Model ids with a pipeline in web-llm's map. */
  loadedIds(): string[];
}

/** A real MLCEngine whose reload stops at the model library and installs a stand-in pipeline. */
export function gpuFreeEngine(config: MLCEngineConfig): GpuFreeEngine {
  const engine = new MLCEngine(config);
  const inner = engine as unknown as EngineInternals;
  const real = inner.reloadInternal.bind(engine);
  const out: GpuFreeEngine = {
    engine,
    pipelines: [],
    current: () => out.pipelines.at(-1)!,
    mergedConfig: (id) => inner.loadedModelIdToChatConfig.get(id),
    loadedIds: () => [...inner.loadedModelIdToPipeline.keys()],
  };
  inner.reloadInternal = async (modelId, chatOpts) => {
    try {
      await real(modelId, chatOpts);
    } catch (e) {
      if (!(e instanceof ReachedModelLib)) throw e;
    }
    const fail = out.failReload;
    out.failReload = undefined;
    if (fail) throw fail;
    const pipeline = new StandInPipeline(inner.loadedModelIdToChatConfig.get(modelId)!);
    out.pipelines.push(pipeline);
    inner.loadedModelIdToPipeline.set(modelId, pipeline);
  };
  return out;
}

export const PAGE = "https://app.test/chat/index.html";

export const TOY: ModelRecord = {
  model_id: "Toy-q4f32_1-MLC",
  model: "https://hf.test/mlc-ai/Toy-q4f32_1-MLC",
  model_lib: "https://libs.test/toy.wasm",
};

/** What MLC writes into mlc-chat-config.json for a Qwen3 model: a window far larger than web-llm's records allow. */
export const modelConfig = (extra: Record<string, unknown> = {}) => ({
  vocab_size: VOCAB,
  context_window_size: 40960,
  sliding_window_size: -1,
  attention_sink_size: -1,
  prefill_chunk_size: 2048,
  temperature: 0.6,
  top_p: 0.95,
  repetition_penalty: 1.0,
  frequency_penalty: 0.0,
  presence_penalty: 0.0,
  conv_template: { stop_token_ids: [7, 9] },
  ...extra,
});

const gpu = {
  requestAdapter: async () => ({
    features: new Set(["shader-f16"]),
    limits: { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31 },
  }),
} as unknown as GPU;

/**
 * Per test: the page URL and the Cache API stand-in as globals, and `load` to load a record on a
 * real MLCEngine whose GPU is the stand-in (its mlc-chat-config.json served to both the runner and web-llm).
 */
export function gpuFreeWorld() {
  const state = { files: new Map<string, unknown>(), libs: new Set<string>(), downloads: [] as string[] };
  beforeEach(() => {
    state.files = new Map();
    state.libs = new Set();
    state.downloads = [];
    vi.stubGlobal("caches", cacheStandIn(state.files, state.libs, state.downloads));
    vi.stubGlobal("location", new URL(PAGE));
  });
  afterEach(() => vi.unstubAllGlobals());
  async function load(
    record: ModelRecord,
    cfg: Record<string, unknown> = modelConfig(),
    opts: WebLLMLoadOptions = {},
    onEngine?: (made: GpuFreeEngine) => void,
  ) {
    const base = modelFilesUrl(new URL(record.model, PAGE).href);
    state.files.set(base + "mlc-chat-config.json", cfg);
    if (record.model_manifest) state.files.set(new URL(record.model_manifest, base).href, modelManifest());
    state.libs.add(new URL(record.model_lib!, PAGE).href);
    let made: GpuFreeEngine | undefined;
    const serve = (async (url: string | URL | Request) =>
      new Response(JSON.stringify(state.files.get(String(url))))) as typeof fetch;
    const runner = await WebLLMRunner.load(record, {
      gpu,
      fetch: serve,
      createEngine: (config: MLCEngineConfig) => {
        made = gpuFreeEngine(config);
        onEngine?.(made);
        return made.engine;
      },
      ...opts,
    });
    return { runner, gpuFree: made! };
  }
  return {
    load,
    get downloads() {
      return state.downloads;
    },
  };
}
