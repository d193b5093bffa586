/**
 * The engine over a WebLLMRunner on web-llm's real MLCEngine, in the browser (real Cache API, the
 * page's URL), with only the GPU pipeline replaced by the unit tests' stand-in. The spec serves the
 * model's mlc-chat-config.json; the tokenizer is the tiny test model's.
 */
import { Engine } from "../../../src/engine/engine.js";
import { assembleModel } from "../../../src/engine/model.js";
import { loadModelFiles } from "../../../src/models/files.js";
import { ApiError } from "../../../src/protocol/index.js";
import { WebLLMRunner } from "../../../src/runners/webllm/index.js";
import { GpuFree } from "../../unit/runners/webllm-gpu-stand-in.js";

const errorOf = (e: unknown) =>
  e instanceof ApiError ? { status: e.status, param: e.param, code: e.code, message: e.message } : { message: String(e) };

async function run(window: number) {
  const gpuFree = new GpuFree();
  // Relative URLs, as a page would write them: the runner resolves them against this page.
  const record = {
    model_id: "Toy-q4f32_1-MLC",
    model: "webllm-toy/",
    model_lib: "webllm-toy/toy.wasm",
    overrides: { context_window_size: window },
  };
  const runner = await WebLLMRunner.load(record, { createEngine: gpuFree.createEngine });
  const pipeline = gpuFree.current();
  const files = await loadModelFiles("/models/tiny-random-qwen3/");
  const engine = new Engine();
  engine.addModel(await assembleModel(record.model_id, runner, files, { eosIds: runner.stopTokenIds }));
  const user = (content: string) => [{ role: "user" as const, content }];
  const tooLong = await engine.create({ messages: user("word ".repeat(window)) }).catch(errorOf);
  const forwardsAfterTooLong = pipeline.counts.forwards;
  const tooMany = await engine.create({ messages: user("hi"), max_tokens: window }).catch(errorOf);
  const full = await engine.create({ messages: user("hi"), ignore_eos: true, temperature: 0 });
  return {
    contextWindow: runner.contextWindow,
    capacity: pipeline.capacity,
    tooLong,
    forwardsAfterTooLong,
    tooMany,
    finish: full.choices[0]?.finish_reason,
    usage: full.usage,
    kvTokens: pipeline.kvCache.tokens.length,
    forwardErrors: pipeline.errors,
  };
}

declare global {
  interface Window {
    webllmPage: { run: typeof run };
  }
}
window.webllmPage = { run };
document.body.dataset.ready = "true";
