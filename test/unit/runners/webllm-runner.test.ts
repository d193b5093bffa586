import type { MLCEngineConfig } from "@mlc-ai/web-llm";
import { describe, expect, it } from "vitest";
import { PrefixFeeder } from "../../../src/engine/decode/prefix-cache.js";
import { ApiError } from "../../../src/protocol/errors.js";
import type { WebLLMModelRecord as ModelRecord } from "../../../src/runners/webllm/record.js";
import { WebLLMRunner, progressOf, type MLCEngineLike } from "../../../src/runners/webllm/index.js";

const VOCAB = 32;
const record: ModelRecord = {
  model_id: "Toy-q4f32_1-MLC",
  model: "https://example.test/mlc-ai/Toy-q4f32_1-MLC",
  model_lib: "https://example.test/toy.wasm",
};
const chatConfig = {
  vocab_size: VOCAB,
  context_window_size: 4096,
  sliding_window_size: -1,
  attention_sink_size: -1,
  conv_template: { stop_token_ids: [7, 9] },
};

/** Logits a model would give after `context`: a distinct, checkable row per prefix. */
const rowFor = (context: number[]) =>
  Float32Array.from({ length: VOCAB }, (_, i) => ((context.reduce((a, t, k) => a + t * (k + 3), 0) + i * 7) % 23) - 11);

/** Stand-in with MLCEngine's public method signatures: keeps a KV list and calls the registered processor as web-llm does. */
class StandInEngine implements MLCEngineLike {
  kv: number[] = [];
  calls: { op: string; ids?: number[]; isPrefill?: boolean }[] = [];
  constructor(readonly config: MLCEngineConfig) {}
  async reload(modelId: string) {
    this.calls.push({ op: `reload:${modelId}` });
    this.config.initProgressCallback?.({
      progress: 0.5,
      timeElapsed: 1,
      text: "Fetching param cache[1/2]: 10MB fetched. 50% completed",
    });
    this.config.initProgressCallback?.({ progress: 1, timeElapsed: 2, text: "Finish loading on WebGPU - toy" });
  }
  async forwardTokensAndSample(inputIds: number[], isPrefill: boolean) {
    this.calls.push({ op: "forward", ids: [...inputIds], isPrefill });
    this.kv.push(...inputIds);
    const processor = this.config.logitProcessorRegistry?.get(record.model_id);
    const logits = processor ? processor.processLogits(rowFor(this.kv)) : rowFor(this.kv);
    const token = logits.indexOf(Math.max(...logits));
    processor?.processSampledToken(token);
    return token;
  }
  async resetChat() {
    this.calls.push({ op: "reset" });
    this.kv = [];
    this.config.logitProcessorRegistry?.get(record.model_id)?.resetState();
  }
  async unload() {
    this.calls.push({ op: "unload" });
  }
}

const gpuWith = (features: string[]) =>
  ({
    requestAdapter: async () => ({ features: new Set(features), limits: { maxStorageBufferBindingSize: 2 ** 30 } }),
  }) as unknown as GPU;
const fetchServing = (files: Record<string, unknown>, seen: string[] = []) =>
  (async (url: string | URL | Request) => {
    seen.push(String(url));
    const body = files[String(url)];
    return body === undefined ? new Response("no", { status: 404, statusText: "Not Found" }) : new Response(JSON.stringify(body));
  }) as typeof fetch;
const configUrl = "https://example.test/mlc-ai/Toy-q4f32_1-MLC/resolve/main/mlc-chat-config.json";

async function loadToy(extra: Partial<ModelRecord> = {}) {
  let engine: StandInEngine | undefined;
  const progress: string[] = [];
  const runner = await WebLLMRunner.load(
    { ...record, ...extra },
    {
      gpu: gpuWith([]),
      fetch: fetchServing({ [configUrl]: chatConfig }),
      onProgress: (p) => progress.push(`${p.stage}:${p.loaded}`),
      createEngine: (config) => (engine = new StandInEngine(config)),
    },
  );
  return { runner, engine: engine!, progress };
}

describe("WebLLMRunner on the public path (a stand-in with MLCEngine's method signatures, no pipeline map)", () => {
  it("reads vocab, context window and stop ids from mlc-chat-config.json, registers its processor, reloads the model", async () => {
    const { runner, engine, progress } = await loadToy();
    expect([runner.vocabSize, runner.contextWindow, runner.stopTokenIds]).toEqual([VOCAB, 4096, [7, 9]]);
    expect(engine.config.logitProcessorRegistry?.has(record.model_id)).toBe(true);
    expect(engine.config.appConfig?.model_list.map((m) => m.model_id)).toEqual([record.model_id]);
    expect(engine.calls).toEqual([{ op: `reload:${record.model_id}` }]);
    expect(progress).toEqual(["download:0.5", "ready:1"]);
  });

  it("feeds tokens with prefill for several and decode for one, and returns the logits the processor saw", async () => {
    const { runner, engine } = await loadToy();
    expect(Array.from(await runner.forward(Int32Array.of(1, 2, 3)))).toEqual(Array.from(rowFor([1, 2, 3])));
    expect(Array.from(await runner.forward(Int32Array.of(4)))).toEqual(Array.from(rowFor([1, 2, 3, 4])));
    expect(engine.calls.slice(1)).toEqual([
      { op: "forward", ids: [1, 2, 3], isPrefill: true },
      { op: "forward", ids: [4], isPrefill: false },
    ]);
    expect(runner.cachedTokens()).toBe(4);
  });

  it("allLogits feeds one position per step and returns every row", async () => {
    const { runner, engine } = await loadToy();
    const all = await runner.forward(Int32Array.of(5, 6, 7), { allLogits: true });
    expect(all.length).toBe(3 * VOCAB);
    for (const [i, ctx] of [[5], [5, 6], [5, 6, 7]].entries())
      expect(Array.from(all.subarray(i * VOCAB, (i + 1) * VOCAB))).toEqual(Array.from(rowFor(ctx)));
    expect(engine.calls.slice(1).map((c) => c.ids)).toEqual([[5], [6], [7]]);
  });

  it("prefix reuse through the engine's feeder: an extending prompt feeds only the rest; another prompt resets first", async () => {
    const { runner, engine } = await loadToy();
    const feeder = new PrefixFeeder(runner);
    await feeder.prefill(Int32Array.of(1, 2, 3), null);
    const second = await feeder.prefill(Int32Array.of(1, 2, 3, 4, 5), null);
    expect(second.reused).toBe(3);
    expect(Array.from(second.logits)).toEqual(Array.from(rowFor([1, 2, 3, 4, 5])));
    const third = await feeder.prefill(Int32Array.of(9, 8), null);
    expect(third.reused).toBe(0);
    expect(Array.from(third.logits)).toEqual(Array.from(rowFor([9, 8])));
    expect(engine.calls.slice(1)).toEqual([
      { op: "reset" },
      { op: "forward", ids: [1, 2, 3], isPrefill: true },
      { op: "forward", ids: [4, 5], isPrefill: true },
      { op: "reset" },
      { op: "forward", ids: [9, 8], isPrefill: true },
    ]);
    expect(engine.kv).toEqual([9, 8]);
    await runner.dispose();
    expect(engine.calls.at(-1)).toEqual({ op: "unload" });
  });

  it("a record's context_window caps the model's and reaches web-llm as an override", async () => {
    const { runner, engine } = await loadToy({ context_window: 1024 });
    expect(runner.contextWindow).toBe(1024);
    expect(engine.config.appConfig?.model_list[0]?.overrides).toMatchObject({ context_window_size: 1024 });
  });
});

describe("WebLLMRunner checks before any download", () => {
  const attempt = async (rec: ModelRecord, gpu: GPU | undefined, known: ModelRecord[] = []) => {
    const seen: string[] = [];
    let made = false;
    const err = await WebLLMRunner.load(rec, {
      gpu,
      knownModels: known,
      fetch: fetchServing({}, seen),
      createEngine: (c) => ((made = true), new StandInEngine(c)),
    }).catch((e: unknown) => e);
    return { err: err as ApiError, seen, made };
  };
  const f16 = { ...record, model_id: "Toy-q4f16_1-MLC", model: "https://example.test/mlc-ai/Toy-q4f16_1-MLC" };
  const known = [f16, { ...record, model_id: "Toy-q4f32_1-MLC", vram_required_MB: 900 }];

  it("no WebGPU, no adapter, no shader-f16: 503 naming what would work, nothing fetched", async () => {
    const none = await attempt(record, undefined);
    expect(none.err).toMatchObject({
      status: 503,
      type: "service_unavailable_error",
      code: "webgpu_unavailable",
      param: "model",
    });
    expect(none.err.message).toContain("tiny-random-qwen3");
    const noAdapter = await attempt(record, { requestAdapter: async () => null } as unknown as GPU);
    expect(noAdapter.err).toMatchObject({ status: 503, code: "webgpu_no_adapter" });
    const noF16 = await attempt(f16, gpuWith([]), known);
    expect(noF16.err).toMatchObject({ status: 503, code: "shader_f16_unsupported" });
    expect(noF16.err.message).toContain('Use "Toy-q4f32_1-MLC" instead');
    for (const a of [none, noAdapter, noF16]) expect([a.seen, a.made]).toEqual([[], false]);
  });

  it("an f16 model on an adapter with shader-f16 passes the check", async () => {
    const ok = await attempt(f16, gpuWith(["shader-f16"]), known);
    expect(ok.seen).toEqual(["https://example.test/mlc-ai/Toy-q4f16_1-MLC/resolve/main/mlc-chat-config.json"]);
    expect(ok.err).toMatchObject({ status: 404, code: "model_fetch_failed" }); // the stand-in server has no files
    expect(ok.err.message).toBe(`could not fetch ${ok.seen[0]}: HTTP 404 Not Found`);
    expect(ok.made).toBe(false);
  });

  it("the buffer check uses maxStorageBufferBindingSize, the limit web-llm binds weights under", async () => {
    const adapter = { features: new Set(), limits: { maxBufferSize: 2 ** 32, maxStorageBufferBindingSize: 2 ** 27 } };
    const big = { ...record, buffer_size_required_bytes: 2 ** 28 };
    const { err, seen } = await attempt(big, { requestAdapter: async () => adapter } as unknown as GPU);
    expect(err).toMatchObject({ status: 503, code: "webgpu_buffer_too_small", param: "model" });
    expect(err.message).toContain("this adapter allows 134217728");
    expect(seen).toEqual([]);
  });

  it("a record without model_lib is a 400 on model.model_lib", async () => {
    const { err } = await attempt({ model_id: "x", model: "https://example.test/x" }, gpuWith([]));
    expect(err).toMatchObject({ status: 400, param: "model.model_lib", code: "missing_model_lib" });
  });
});

describe("progress from web-llm's reports", () => {
  it("names download, compile and ready stages", () => {
    expect(progressOf({ progress: 0.2, timeElapsed: 1, text: "Fetching param cache[2/10]: 40MB fetched." }, "m").stage).toBe(
      "download",
    );
    expect(progressOf({ progress: 0.2, timeElapsed: 1, text: "Loading model from cache[2/10]: 40MB loaded." }, "m").stage).toBe(
      "download",
    );
    expect(progressOf({ progress: 0.9, timeElapsed: 1, text: "Loading GPU shader modules[3/9]" }, "m").stage).toBe("compile");
    expect(progressOf({ progress: 1, timeElapsed: 1, text: "Finish loading on WebGPU - nvidia" }, "m")).toMatchObject({
      stage: "ready",
      loaded: 1,
      total: 1,
    });
  });
});
