/**
 * web-llm's REAL MLCEngine with only the GPU replaced: `reloadInternal` runs web-llm's own code
 * (record lookup, URL cleaning, config download through its artifact cache, its config merge) up
 * to the model library download, which needs a real GPU; there a stand-in LLMChatPipeline is put
 * in the engine's pipeline map. The stand-in keeps a token list as its KV cache, sizes it the way
 * LLMChatPipeline's constructor does from web-llm's merged config, and counts every GPU↔CPU copy
 * and sync the runner asks of it. No Node or vitest imports: the browser test uses it too.
 */
import { MLCEngine, type MLCEngineConfig } from "@mlc-ai/web-llm";

export const VOCAB = 32;

/** Logits a model would give after `context`: a distinct, checkable row per prefix. */
export const rowFor = (context: readonly number[], vocab = VOCAB) => {
  const base = context.reduce((a, t, k) => a + t * (k + 3), 0);
  return Float32Array.from({ length: vocab }, (_, i) => ((base + i * 7) % 23) - 11);
};

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
  readonly vocab: number;
  /** Every error thrown from a forward (a test checks "KV cache is full" never appears). */
  readonly errors: string[] = [];
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
  /** Make dispose() throw (TVM objects on a destroyed device), so web-llm's unload fails before clearing its maps. */
  disposeThrows = false;
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
    this.vocab = config.vocab_size as number;
  }

  async forwardKnownTokens(ids: number[], _isPrefill: boolean) {
    this.tvm.beginScope();
    if (this.gate) await this.gate;
    if (this.disposed) throw new Error("Failed to execute 'mapAsync' on 'GPUBuffer': Device is lost");
    const fail = this.failNext;
    this.failNext = undefined;
    if (fail) throw fail;
    const tokens = this.kvCache.tokens;
    if (this.slidingWindowSize === -1 && tokens.length + ids.length > this.capacity) {
      this.errors.push("The KV cache is full. No page can be allocated.");
      throw new Error(this.errors.at(-1));
    }
    tokens.push(...ids);
    this.filledKVCacheLength += ids.length;
    this.counts.forwards++;
    this.counts.fedTokens += ids.length;
    this.tvm.endScope();
    const row = rowFor(tokens, this.vocab);
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
    if (this.disposeThrows) throw new Error("stand-in: dispose on a destroyed device");
  }
}

/** web-llm's members this file reaches (private in its typings). */
interface EngineInternals {
  reloadInternal(modelId: string, chatOpts?: unknown): Promise<void>;
  loadedModelIdToPipeline: Map<string, unknown>;
  loadedModelIdToChatConfig: Map<string, Record<string, unknown>>;
}

/**
 * The GPU of the engines one runner makes: each is web-llm's real MLCEngine whose reload runs
 * web-llm's own steps, stops at the model library and installs a stand-in pipeline.
 */
export class GpuFree {
  readonly engines: MLCEngine[] = [];
  /** Each pipeline made, in order (every reload makes a new one). */
  readonly pipelines: StandInPipeline[] = [];
  /** Make the next reload fail with this error (after web-llm's own steps). */
  failReload?: Error;

  /** For WebLLMRunner.load's createEngine. */
  readonly createEngine = (config: MLCEngineConfig): MLCEngine => {
    const engine = new MLCEngine(config);
    const inner = internals(engine);
    const real = inner.reloadInternal.bind(engine);
    inner.reloadInternal = async (modelId, chatOpts) => {
      try {
        await real(modelId, chatOpts);
      } catch (e) {
        // In a browser the library's 404 is Cache.add's TypeError; anything after the merged config is the GPU's part.
        if (!(e instanceof ReachedModelLib) && !inner.loadedModelIdToChatConfig.has(modelId)) throw e;
      }
      const fail = this.failReload;
      this.failReload = undefined;
      if (fail) throw fail;
      const pipeline = new StandInPipeline(inner.loadedModelIdToChatConfig.get(modelId)!);
      this.pipelines.push(pipeline);
      inner.loadedModelIdToPipeline.set(modelId, pipeline);
    };
    this.engines.push(engine);
    return engine;
  };

  /** The engine made last. */
  get engine(): MLCEngine {
    return this.engines.at(-1)!;
  }

  current(): StandInPipeline {
    return this.pipelines.at(-1)!;
  }

  /** The config web-llm merged (mlc-chat-config.json, the record's overrides, the reload's chat options). */
  mergedConfig(modelId: string): Record<string, unknown> | undefined {
    return internals(this.engine).loadedModelIdToChatConfig.get(modelId);
  }

  /** Model ids with a pipeline in the last engine's map. */
  loadedIds(): string[] {
    return [...internals(this.engine).loadedModelIdToPipeline.keys()];
  }
}

const internals = (engine: MLCEngine) => engine as unknown as EngineInternals;
