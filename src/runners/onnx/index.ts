import type { InferenceSession, Tensor } from "onnxruntime-web";
import { ApiError } from "../../protocol/index.js";
import type { ModelRunner } from "../runner.js";
import type { ProgressCallback } from "../../models/progress.js";
import { deviceLost, reloadFailed, unloaded } from "../errors.js";
import { pickDevice, type DevicePick, type OnnxDevice, type OnnxDeviceChoice } from "./device.js";
import { describeFolder, type OnnxDtype } from "./folder.js";
import { deviceWasLost } from "./gpu.js";
import { readSignature, type GraphSignature } from "./graph.js";
import { loadOrt, wasmThreadCount, type Ort } from "./ort.js";
import { readLogits } from "./readback.js";
import { errorText, openSession, type Opened } from "./session.js";

export { GraphError } from "./graph.js";
export { OnnxModelError } from "./session.js";
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
  /**
   * Run a 2-token prefill and a decode step at load, then empty the cache (default false): meant to
   * take onnxruntime's first-run costs (shader compiles, arena growth) off the first request, but one
   * bench run measured no gain on WASM (docs/real-model.md), so it is opt-in until measured better.
   */
  warmUp?: boolean;
  /** Fetch for model files (the loader passes a Cache API one, so folders load offline after one visit). */
  fetch?: typeof fetch;
  gpu?: GPU;
}

type Feeds = Record<string, Tensor>;

/**
 * A transformers.js / onnx-community decoder-with-past graph on onnxruntime-web (WebGPU or WASM).
 * The KV cache is the graph's present.* outputs fed back as past_key_values.* (kept as GPU buffers
 * on WebGPU); only the rows of logits asked for are read back. After a GPU device loss the call in
 * flight is a 503 gpu_device_lost and the next call opens the graph again on a new device.
 */
export class OnnxRunner implements ModelRunner {
  private past: Map<string, Tensor>;
  private length = 0;
  /** The tokens in the cache (the first `length`), to feed again after a device loss. */
  private history: number[] = [];
  /** Set by truncate(): the cache must be cut to `length` before the next run. */
  private trimPending = false;
  /** The open session, null after a loss until a reload succeeds. */
  private opened: Opened | null;
  /** The device was lost: the next forward reloads on a new one. */
  private lost = false;
  /**
   * A run failed on WebGPU: the next forward opens the session again (on the same device). onnxruntime-web
   * 1.30's run() throws before it clears a failed run's IO binding (used for gpu-buffer outputs), so that
   * session would run every later call on the failed call's inputs.
   */
  private stale = false;
  private disposed = false;
  readonly device: OnnxDevice;
  /** Where it runs and why ("WebGPU (swiftshader)", "WebAssembly on the CPU: no WebGPU adapter …"). */
  readonly deviceReason: string;

  private constructor(
    private readonly ort: Ort,
    opened: Opened,
    /** Open the graph again: on `gpuDevice` when given, else (WebGPU) on a new device. */
    private readonly reopen: (gpuDevice?: GPUDevice) => Promise<Opened>,
    private readonly sig: GraphSignature,
    private readonly modelId: string,
    readonly vocabSize: number,
    readonly contextWindow: number,
    pick: DevicePick,
  ) {
    this.device = pick.device;
    this.deviceReason = pick.reason;
    this.opened = this.watch(opened);
    this.past = this.emptyPast();
  }

  /** Pick the device (refusing before any download when it cannot work), fetch the folder's graph, open a session. */
  static async load(baseUrl: string, opts: OnnxLoadOptions = {}): Promise<OnnxRunner> {
    const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    const fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
    const dtype = opts.dtype ?? "fp32";
    const modelId = opts.modelId ?? base;
    const gpu = opts.gpu ?? globalThis.navigator?.gpu;
    const choice = opts.device ?? "auto";
    const pick = await pickDevice(choice, dtype, modelId, gpu);
    const folder = await describeFolder(base, dtype, fetchFn);
    // onnxruntime's wasm is the app's asset, shared by every model: not fetched through the model's store.
    const ort = await loadOrt(globalThis.fetch.bind(globalThis), opts.onProgress);
    const open = (onProgress: ProgressCallback | undefined, on: { adapter?: GPUAdapter; gpuDevice?: GPUDevice }) =>
      openSession(ort, folder, fetchFn, { onProgress, ...on, label: pick.reason, device: pick.device });
    const first = await open(opts.onProgress, { adapter: pick.adapter });
    try {
      const sig = readSignature(first.session.inputMetadata, first.session.outputMetadata, base + folder.graph);
      const vocabSize = sig.vocabSize ?? folder.config.vocab_size;
      const own = folder.config.max_position_embeddings;
      if (!vocabSize || !own)
        throw new ApiError({
          type: "server_error",
          message: `${base}config.json needs ${vocabSize ? "max_position_embeddings" : "vocab_size"} (the graph does not fix it).`,
          param: "model",
          code: "bad_model_config",
        });
      // A reload after a device loss takes a new adapter (the old one may be gone with its device).
      const reopen = async (gpuDevice?: GPUDevice) =>
        open(
          undefined,
          pick.device === "wasm" || gpuDevice
            ? { gpuDevice }
            : { adapter: (await pickDevice("webgpu", dtype, modelId, gpu)).adapter },
        );
      // Known only once a session is open: onnxruntime drops to one thread where threads cannot start.
      const threads = wasmThreadCount(ort);
      const where =
        pick.device === "wasm" ? { ...pick, reason: `${pick.reason}, ${threads} thread${threads > 1 ? "s" : ""}` } : pick;
      const runner = new OnnxRunner(ort, first, reopen, sig, modelId, vocabSize, Math.min(own, opts.contextWindow ?? own), where);
      if (opts.warmUp) {
        opts.onProgress?.({ stage: "compile", file: folder.graph, loaded: 0, total: 1, text: `warming up on ${where.reason}` });
        await runner.warmUp();
      }
      opts.onProgress?.({ stage: "ready", file: folder.graph, loaded: 1, total: 1, text: `ready on ${where.reason}` });
      return runner;
    } catch (e) {
      await first.session.release();
      first.gpuDevice?.destroy();
      throw e;
    }
  }

  async forward(input: Int32Array, opts: { allLogits?: boolean } = {}): Promise<Float32Array> {
    const rows = opts.allLogits ? input.length : 1;
    if (input.length === 0) throw new RangeError("forward needs at least one token");
    if (input.length > this.contextWindow - this.length)
      throw new RangeError(
        `${input.length} tokens do not fit: the context window is ${this.contextWindow} and ${this.length} are cached`,
      );
    for (const t of input)
      if (t < 0 || t >= this.vocabSize) throw new RangeError(`token id ${t} is outside the vocabulary [0, ${this.vocabSize})`);
    if (this.disposed) throw unloaded(this.modelId);
    // After a device loss between calls the new session starts empty: what the cache held is fed again first.
    const tokens = this.lost || this.stale || !this.opened ? await this.reloadAndReplay(input) : input;
    if (this.trimPending) await this.trim().catch(async (e: unknown) => Promise.reject(await this.failed(e)));
    const S = tokens.length;
    const { session, gpuDevice } = this.opened!;
    const P = this.length;
    const feeds: Feeds = {
      input_ids: this.ints(this.sig.idsType, S, (i) => tokens[i]!, [1, S]),
      attention_mask: this.ints(this.sig.maskType, P + S, () => 1, [1, P + S]),
      ...Object.fromEntries(this.past),
    };
    if (this.sig.positionIds) feeds.position_ids = this.ints(this.sig.positionIds, S, (i) => P + i, [1, S]);
    if (this.sig.logitsToKeep) feeds[this.sig.logitsToKeep] = new this.ort.Tensor("int64", BigInt64Array.of(BigInt(rows)), []);
    let out: InferenceSession.ReturnType;
    try {
      out = await session.run(feeds);
    } catch (e) {
      throw await this.failed(e);
    }
    const logits = out.logits!;
    for (const t of this.past.values()) t.dispose();
    this.past = new Map([...this.sig.pastToPresent].map(([past, present]) => [past, out[present]!]));
    this.length = P + S;
    this.history.length = P;
    for (const t of tokens) this.history.push(t);
    try {
      const have = logits.dims[1]!;
      return await readLogits(gpuDevice, logits, this.sig.logitsType, this.vocabSize, have - rows, rows);
    } catch (e) {
      throw await this.failed(e);
    } finally {
      logits.dispose();
    }
  }

  /** See OnnxLoadOptions.warmUp. Token 0 exists in every vocabulary; a prefill and a decode shape both compile. */
  private async warmUp(): Promise<void> {
    await this.forward(Int32Array.of(0, 0));
    await this.forward(Int32Array.of(0));
    this.reset();
  }

  reset(): void {
    for (const t of this.past.values()) t.dispose();
    this.past = this.emptyPast();
    this.length = 0;
    this.history = [];
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
    this.disposed = true;
    this.reset();
    await this.close();
  }

  /**
   * Why a run failed, as the error for the call in flight. The cache is dropped either way (its GPU
   * buffers are freed; the engine re-feeds what it needs). A lost device is a 503 and marks the runner
   * for a reload on a new device; anything else is a 500 (on WebGPU the session is reopened: see `stale`).
   */
  private async failed(e: unknown): Promise<ApiError> {
    this.reset();
    const gpu = this.opened?.gpuDevice;
    if (gpu && (this.lost || (await deviceWasLost(gpu, e)))) {
      this.lost = true;
      return deviceLost(this.modelId, e);
    }
    if (gpu) this.stale = true;
    return new ApiError({
      type: "server_error",
      message: `onnxruntime failed running "${this.modelId}" on ${this.device}: ${errorText(e)}`,
      code: "model_run_failed",
    });
  }

  /**
   * Free the old session (and the device, when lost), open the graph again (on a new device after a
   * loss), and return `input` after the tokens the old cache held.
   */
  private async reloadAndReplay(input: Int32Array): Promise<Int32Array> {
    const replay = this.history.slice(0, this.length);
    const keep = this.lost ? undefined : this.opened?.gpuDevice;
    this.reset();
    await this.close(keep);
    try {
      this.opened = this.watch(await this.reopen(keep));
      this.lost = this.stale = false;
    } catch (e) {
      throw reloadFailed(this.modelId, e);
    }
    return replay.length ? Int32Array.from([...replay, ...input]) : input;
  }

  private watch(opened: Opened): Opened {
    void opened.gpuDevice?.lost.then(() => {
      if (this.opened === opened) this.lost = true;
    });
    return opened;
  }

  /** Release the session and destroy its device (unless it is `keep`, to open the graph on again). */
  private async close(keep?: GPUDevice): Promise<void> {
    const opened = this.opened;
    this.opened = null;
    if (!opened) return;
    // Releasing on a lost device can fail; the session is dropped either way.
    await opened.session.release().catch(() => {});
    if (opened.gpuDevice !== keep) opened.gpuDevice?.destroy();
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
