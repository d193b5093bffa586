import type { InferenceSession, Tensor } from "onnxruntime-web";
import { ApiError } from "../../protocol/index.js";
import type { ModelRunner, ProgressCallback } from "../runner.js";
import { fetchCachedBytes } from "./cache.js";
import { pickDevice, type OnnxDevice, type OnnxDeviceChoice } from "./device.js";
import { describeFolder, type OnnxDtype } from "./folder.js";
import { readSignature, type GraphSignature } from "./graph.js";
import { loadOrt, type Ort } from "./ort.js";
import { readLogits } from "./readback.js";

export { GraphError } from "./graph.js";
export { cachingFetch } from "./cache.js";
export { type OnnxDtype } from "./folder.js";
export { type OnnxDevice, type OnnxDeviceChoice } from "./device.js";

export interface OnnxLoadOptions {
  modelId?: string;
  dtype?: OnnxDtype;
  device?: OnnxDeviceChoice;
  /** Cap the context window below the model's max_position_embeddings. */
  contextWindow?: number;
  onProgress?: ProgressCallback;
  /** Fetch for model files (the loader passes a Cache API one, so folders load offline after one visit). */
  fetch?: typeof fetch;
  gpu?: GPU;
}

/** Thrown when the ONNX file cannot be opened by onnxruntime; names the file. */
export class OnnxModelError extends Error {
  override name = "OnnxModelError";
}

type Feeds = Record<string, Tensor>;

/**
 * A transformers.js / onnx-community decoder-with-past graph on onnxruntime-web (WebGPU or WASM).
 * The KV cache is the graph's present.* outputs fed back as past_key_values.* (kept as GPU buffers
 * on WebGPU); only the rows of logits asked for are read back.
 */
export class OnnxRunner implements ModelRunner {
  private past: Map<string, Tensor>;
  private length = 0;
  /** Set by truncate(): the cache must be cut to `length` before the next run. */
  private trimPending = false;

  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly sig: GraphSignature,
    readonly vocabSize: number,
    readonly contextWindow: number,
    /** Where it runs and why ("WebGPU (swiftshader)", "WebAssembly on the CPU: no WebGPU adapter …"). */
    readonly device: OnnxDevice,
    readonly deviceReason: string,
  ) {
    this.past = this.emptyPast();
  }

  /** Pick the device (refusing before any download when it cannot work), fetch the folder's graph, open a session. */
  static async load(baseUrl: string, opts: OnnxLoadOptions = {}): Promise<OnnxRunner> {
    const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    const fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
    const dtype = opts.dtype ?? "fp32";
    const modelId = opts.modelId ?? base;
    const pick = await pickDevice(opts.device ?? "auto", dtype, modelId, opts.gpu ?? globalThis.navigator?.gpu);
    const folder = await describeFolder(base, dtype, fetchFn);
    const ort = await loadOrt(fetchFn, opts.onProgress);
    const graph = await fetchCachedBytes(base + folder.graph, fetchFn, opts.onProgress);
    const externalData = [];
    for (const path of folder.externalData) {
      externalData.push({ path: path.split("/").pop()!, data: await fetchCachedBytes(base + path, fetchFn, opts.onProgress) });
    }
    opts.onProgress?.({
      stage: "compile",
      file: folder.graph,
      loaded: 0,
      total: 1,
      text: `opening ${folder.graph} on ${pick.reason}`,
    });
    if (pick.adapter && !ort.env.webgpu.adapter) ort.env.webgpu.adapter = pick.adapter;
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(graph, {
        executionProviders: [pick.device],
        preferredOutputLocation: pick.device === "webgpu" ? "gpu-buffer" : "cpu",
        graphOptimizationLevel: "all",
        ...(externalData.length ? { externalData } : {}),
      });
    } catch (e) {
      throw new OnnxModelError(`onnxruntime could not open ${base + folder.graph} on ${pick.device}: ${errorText(e)}`);
    }
    try {
      const sig = readSignature(session.inputMetadata, session.outputMetadata, base + folder.graph);
      const vocabSize = sig.vocabSize ?? folder.config.vocab_size;
      const own = folder.config.max_position_embeddings;
      if (!vocabSize || !own)
        throw new ApiError({
          type: "server_error",
          message: `${base}config.json needs ${vocabSize ? "max_position_embeddings" : "vocab_size"} (the graph does not fix it).`,
          param: "model",
          code: "bad_model_config",
        });
      const runner = new OnnxRunner(
        ort,
        session,
        sig,
        vocabSize,
        Math.min(own, opts.contextWindow ?? own),
        pick.device,
        pick.reason,
      );
      opts.onProgress?.({ stage: "ready", file: folder.graph, loaded: 1, total: 1, text: `ready on ${pick.reason}` });
      return runner;
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  async forward(tokens: Int32Array, opts: { allLogits?: boolean } = {}): Promise<Float32Array> {
    const S = tokens.length;
    if (S === 0) throw new RangeError("forward needs at least one token");
    if (S > this.contextWindow - this.length)
      throw new RangeError(`${S} tokens do not fit: the context window is ${this.contextWindow} and ${this.length} are cached`);
    for (const t of tokens)
      if (t < 0 || t >= this.vocabSize) throw new RangeError(`token id ${t} is outside the vocabulary [0, ${this.vocabSize})`);
    if (this.trimPending) await this.trim();
    const P = this.length;
    const rows = opts.allLogits ? S : 1;
    const feeds: Feeds = {
      input_ids: this.ints(this.sig.idsType, S, (i) => tokens[i]!, [1, S]),
      attention_mask: this.ints(this.sig.maskType, P + S, () => 1, [1, P + S]),
      ...Object.fromEntries(this.past),
    };
    if (this.sig.positionIds) feeds.position_ids = this.ints(this.sig.positionIds, S, (i) => P + i, [1, S]);
    if (this.sig.logitsToKeep) feeds[this.sig.logitsToKeep] = new this.ort.Tensor("int64", BigInt64Array.of(BigInt(rows)), []);
    let out: InferenceSession.ReturnType;
    try {
      out = await this.session.run(feeds);
    } catch (e) {
      throw new ApiError({
        type: "server_error",
        message: `onnxruntime failed running the model on ${this.device}: ${errorText(e)}`,
        code: "model_run_failed",
      });
    }
    const logits = out.logits!;
    try {
      const have = logits.dims[1]!;
      return await readLogits(this.ort, logits, this.sig.logitsType, this.vocabSize, have - rows, rows);
    } finally {
      logits.dispose();
      for (const t of this.past.values()) t.dispose();
      this.past = new Map([...this.sig.pastToPresent].map(([past, present]) => [past, out[present]!]));
      this.length = P + S;
    }
  }

  reset(): void {
    for (const t of this.past.values()) t.dispose();
    this.past = this.emptyPast();
    this.length = 0;
    this.trimPending = false;
  }

  cachedTokens(): number {
    return this.length;
  }

  truncate(length: number): void {
    if (length >= this.length) return;
    if (length <= 0) return this.reset();
    this.length = length;
    this.trimPending = true;
  }

  async dispose(): Promise<void> {
    this.reset();
    await this.session.release();
  }

  /** Cut every past tensor to the first `length` positions (read back, sliced, fed as CPU tensors next run). */
  private async trim(): Promise<void> {
    this.trimPending = false;
    const next = new Map<string, Tensor>();
    for (const [name, t] of this.past) {
      const [, heads, total, dim] = t.dims as [number, number, number, number];
      const data = (await t.getData()) as Float32Array | Uint16Array;
      const out = new (data.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(heads * this.length * dim);
      for (let h = 0; h < heads; h++)
        out.set(data.subarray(h * total * dim, h * total * dim + this.length * dim), h * this.length * dim);
      next.set(name, new this.ort.Tensor(this.sig.kvType, out, [1, heads, this.length, dim]));
      t.dispose();
    }
    this.past = next;
  }

  private emptyPast(): Map<string, Tensor> {
    const dims = [1, this.sig.kvHeads, 0, this.sig.headDim];
    const empty = () =>
      this.sig.kvType === "float16"
        ? new this.ort.Tensor("float16", new Uint16Array(0), dims)
        : new this.ort.Tensor("float32", new Float32Array(0), dims);
    return new Map([...this.sig.pastToPresent.keys()].map((name) => [name, empty()]));
  }

  private ints(type: "int64" | "int32", n: number, at: (i: number) => number, dims: number[]): Tensor {
    if (type === "int32")
      return new this.ort.Tensor(
        "int32",
        Int32Array.from({ length: n }, (_, i) => at(i)),
        dims,
      );
    // int64 written as little-endian 32-bit halves: no BigInt per element (the mask grows with the context, every step).
    const words = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const v = at(i);
      words[2 * i] = v;
      words[2 * i + 1] = v < 0 ? -1 : 0;
    }
    return new this.ort.Tensor("int64", new BigInt64Array(words.buffer), dims);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
