/** The per-test world of the web-llm unit tests: globals a browser has, files served, `load` on the GPU-free engine. */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, vi } from "vitest";
import type { WebLLMModelRecord as ModelRecord } from "../../../src/runners/webllm/record.js";
import { modelFilesUrl } from "../../../src/runners/webllm/files-url.js";
import { WebLLMRunner, type WebLLMLoadOptions } from "../../../src/runners/webllm/index.js";
import { cacheStandIn, GpuFree, VOCAB } from "./webllm-gpu-stand-in.js";

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
    gpuFree = new GpuFree(),
  ) {
    const base = modelFilesUrl(new URL(record.model, PAGE).href);
    state.files.set(base + "mlc-chat-config.json", cfg);
    if (record.model_manifest) state.files.set(new URL(record.model_manifest, base).href, modelManifest());
    state.libs.add(new URL(record.model_lib!, PAGE).href);
    const serve = (async (url: string | URL | Request) =>
      new Response(JSON.stringify(state.files.get(String(url))))) as typeof fetch;
    const runner = await WebLLMRunner.load(record, { gpu, fetch: serve, createEngine: gpuFree.createEngine, ...opts });
    return { runner, gpuFree };
  }
  return {
    load,
    get downloads() {
      return state.downloads;
    },
  };
}
