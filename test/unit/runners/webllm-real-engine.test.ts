import { createHash } from "node:crypto";
import { MLCEngine, prebuiltAppConfig } from "@mlc-ai/web-llm";
import { describe, expect, it } from "vitest";
import type { WebLLMModelRecord as ModelRecord } from "../../../src/runners/webllm/record.js";
import { NEUTRAL_SAMPLING } from "../../../src/runners/webllm/record.js";
import { VOCAB } from "./webllm-gpu-stand-in.js";
import { gpuFreeWorld, modelConfig, TOY } from "./webllm-world.js";

const world = gpuFreeWorld();
const load = world.load;
const toy = TOY;
const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ((from + i) % (VOCAB - 1)) + 1);

describe("the window the engine enforces is the KV cache web-llm allocates", () => {
  it("for every record of web-llm's prebuiltAppConfig, through web-llm's own config merge", async () => {
    const seen = new Map<number, number>();
    for (const record of prebuiltAppConfig.model_list as ModelRecord[]) {
      if (record.model_type === 1) {
        await expect(load(record)).rejects.toMatchObject({ status: 400, code: "not_a_chat_model" });
        continue;
      }
      const { runner, gpuFree } = await load(record);
      const pipeline = gpuFree.current();
      expect([record.model_id, runner.contextWindow]).toEqual([record.model_id, pipeline.capacity]);
      expect(pipeline.capacity).toBe((record.overrides?.context_window_size as number | undefined) ?? 40960);
      seen.set(runner.contextWindow, (seen.get(runner.contextWindow) ?? 0) + 1);
      // Filling the window exactly works; one more token is the runner's RangeError, never web-llm's "KV cache is full".
      await runner.forward(Int32Array.from(ids(runner.contextWindow - 1)));
      await runner.forward(Int32Array.of(3));
      await expect(runner.forward(Int32Array.of(3))).rejects.toThrow(/1 tokens do not fit: the context window is \d+/);
      expect(pipeline.kvCache.tokens.length).toBe(runner.contextWindow);
      await runner.dispose();
    }
    expect(Object.fromEntries(seen)).toEqual({ 4096: 125, 2048: 10, 1024: 26 });
  }, 120_000);

  it("a record without overrides gets the model's own window; context_window caps it and shrinks web-llm's cache", async () => {
    const own = await load(toy);
    expect([own.runner.contextWindow, own.gpuFree.current().capacity]).toEqual([40960, 40960]);
    const capped = await load({ ...toy, context_window: 3000 });
    expect([capped.runner.contextWindow, capped.gpuFree.current().capacity]).toEqual([3000, 3000]);
  });

  it("a sliding-window model: the window is the sliding window (capped by context_window), context_window_size stays -1", async () => {
    const cfg = modelConfig({ context_window_size: -1, sliding_window_size: 4096, attention_sink_size: 4 });
    const { runner, gpuFree } = await load(toy, cfg);
    expect(runner.contextWindow).toBe(4096);
    expect(gpuFree.mergedConfig(toy.model_id)).toMatchObject({ context_window_size: -1, sliding_window_size: 4096 });
    const capped = await load({ ...toy, context_window: 1000 }, cfg);
    expect(capped.runner.contextWindow).toBe(1000);
    expect(capped.gpuFree.mergedConfig(toy.model_id)).toMatchObject({ context_window_size: -1, sliding_window_size: 4096 });
  });

  it("window configs web-llm would refuse after the download are a 400 on model.overrides before it", async () => {
    const bad = [
      { sliding_window_size: 4096 }, // both positive
      { context_window_size: -1, sliding_window_size: 4096, attention_sink_size: -1 }, // sliding without a sink
      { context_window_size: -1 }, // neither
      { sliding_window_size: undefined }, // web-llm reads a missing field as set
      { context_window_size: 0 },
    ];
    for (const extra of bad) {
      const err = await load(toy, modelConfig(extra)).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 400, param: "model.overrides", code: "bad_window_config" });
      expect(world.downloads.filter((u) => u.endsWith(".wasm"))).toEqual([]);
    }
  });

  it("web-llm's merged config passes its sampler's checks even when mlc-chat-config.json has no sampling fields", async () => {
    const bare = modelConfig();
    for (const k of Object.keys(NEUTRAL_SAMPLING)) delete (bare as Record<string, unknown>)[k];
    const { gpuFree } = await load(toy, bare);
    const merged = gpuFree.mergedConfig(toy.model_id)!;
    // The range checks of LLMChatPipeline.sampleFromRawLogits, which throw on undefined.
    const [t, p, rp, fp, pp] = ["temperature", "top_p", "repetition_penalty", "frequency_penalty", "presence_penalty"].map(
      (k) => merged[k] as number,
    );
    expect(p! > 0 && p! <= 1 && t! >= 0 && rp! > 0 && fp! >= -2 && fp! <= 2 && pp! >= -2 && pp! <= 2).toBe(true);
    // Neutral penalties also keep web-llm's penalty kernel from running.
    expect([rp, fp, pp]).toEqual([1, 0, 0]);
  });
});

describe("record fields web-llm reads reach it", () => {
  it("integrity: web-llm checks the config it downloads against the record's hash", async () => {
    const cfg = modelConfig();
    const sri = "sha256-" + createHash("sha256").update(JSON.stringify(cfg)).digest("base64");
    const wrong = "sha256-" + createHash("sha256").update("something else").digest("base64");
    await expect(load({ ...TOY, integrity: { config: wrong } }, cfg)).rejects.toMatchObject({ name: "IntegrityError" });
    const { runner } = await load({ ...TOY, integrity: { config: sri } }, cfg);
    expect(runner.contextWindow).toBe(40960);
  });
});

describe("relative URLs", () => {
  it("reach web-llm's world.downloads as absolute URLs resolved against the page", async () => {
    const { runner } = await load({ model_id: "Local-q4f32_1-MLC", model: "/models/local/", model_lib: "libs/local.wasm" });
    expect(world.downloads).toEqual([
      "https://app.test/models/local/resolve/main/mlc-chat-config.json",
      "https://app.test/chat/libs/local.wasm",
    ]);
    expect(runner.contextWindow).toBe(40960);
  });

  it("handed to web-llm as they are, its reload fails on them (why the runner resolves them)", async () => {
    const record = { model_id: "Local-q4f32_1-MLC", model: "/models/local/", model_lib: "libs/local.wasm" };
    const engine = new MLCEngine({ appConfig: { model_list: [record] } });
    await expect(engine.reload(record.model_id)).rejects.toThrow(/Invalid URL/);
    expect(world.downloads).toEqual([]);
  });
});
