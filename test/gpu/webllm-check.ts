/**
 * What the unit tests cannot check without a GPU and MLC weights, run on a real one:
 *   npm run demo, then open http://127.0.0.1:5173/test/gpu/webllm-check.html?model=Qwen3-0.6B-q4f32_1-MLC
 * in Chrome on a machine with a WebGPU GPU. The result (JSON) is shown and kept in window.webllmCheck.
 */
import { prebuiltAppConfig } from "@mlc-ai/web-llm";
import type { WebLLMModelRecord as ModelRecord } from "../../src/runners/webllm/record.js";
import { WebLLMRunner } from "../../src/runners/webllm/index.js";

const STEPS = 64;
const modelId = new URLSearchParams(location.search).get("model") ?? "Qwen3-0.6B-q4f32_1-MLC";
const known = prebuiltAppConfig.model_list as ModelRecord[];
const record = known.find((r) => r.model_id === modelId);

const argmax = (a: Float32Array) => a.reduce((best, v, i) => (v > a[best]! ? i : best), 0);
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
const ids = (n: number, from: number) => Int32Array.from({ length: n }, (_, i) => from + i);

/** Greedy decode from a fixed prompt: the tokens and the time per decode step. */
async function decode(runner: WebLLMRunner): Promise<{ tokens: number[]; msPerToken: number }> {
  runner.reset();
  let logits = await runner.forward(ids(32, 1000));
  const tokens: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    tokens.push(argmax(logits));
    logits = await runner.forward(Int32Array.of(tokens.at(-1)!));
  }
  return { tokens, msPerToken: (performance.now() - t0) / STEPS };
}

async function check(): Promise<Record<string, unknown>> {
  if (!record) throw new Error(`unknown model ${modelId}`);
  const fast = await WebLLMRunner.load(record, { knownModels: known });
  const out: Record<string, unknown> = {
    model: modelId,
    fastPath: fast.fastPath,
    contextWindow: fast.contextWindow,
    recordWindow: record.overrides?.context_window_size ?? null,
  };
  // KV pop: cache 40 tokens, keep 30, feed 8 more == a cold prefill of the 38.
  fast.reset();
  await fast.forward(ids(40, 2000));
  fast.truncate(30);
  const popped = await fast.forward(ids(8, 3000));
  fast.reset();
  const cold = await fast.forward(Int32Array.from([...ids(30, 2000), ...ids(8, 3000)]));
  out.popMaxAbsDiff = maxDiff(popped, cold);
  const f = await decode(fast);
  // The window: filling it works, one more token is the runner's RangeError (never "KV cache is full").
  fast.reset();
  await fast.forward(ids(fast.contextWindow - 1, 1));
  await fast.forward(Int32Array.of(5));
  out.pastWindow = await fast.forward(Int32Array.of(5)).then(
    () => "accepted (wrong)",
    (e: Error) => e.message,
  );
  await fast.dispose();
  const pub = await WebLLMRunner.load(record, { knownModels: known, path: "public" });
  const p = await decode(pub);
  await pub.dispose();
  return {
    ...out,
    msPerTokenPipeline: f.msPerToken,
    msPerTokenPublic: p.msPerToken,
    sameGreedyTokens: f.tokens.join() === p.tokens.join(),
  };
}

const shown = document.getElementById("result")!;
check().then(
  (r) => ((window as unknown as { webllmCheck: unknown }).webllmCheck = r) && (shown.textContent = JSON.stringify(r, null, 2)),
  (e: unknown) => (shown.textContent = `failed: ${e instanceof Error ? e.stack : String(e)}`),
);
