import { describe, expect, it } from "vitest";
import { PrefixFeeder } from "../../../src/engine/decode/prefix-cache.js";
import { rowFor, VOCAB } from "./webllm-gpu-stand-in.js";
import { gpuFreeWorld, modelConfig, TOY } from "./webllm-world.js";

const world = gpuFreeWorld();
const rows = (a: Float32Array) => Array.from(a);

describe("per-token path on web-llm's pipeline", () => {
  it("each step: one GPU→CPU copy of the logits, one sync, one JS copy; no upload, no web-llm sampling kernels", async () => {
    const { runner, gpuFree } = await world.load(TOY);
    expect(runner.fastPath).toBe(true);
    const p = gpuFree.current();
    const fed = [3, 1, 4, 1, 5];
    expect(rows(await runner.forward(Int32Array.from(fed)))).toEqual(rows(rowFor(fed)));
    for (const t of [9, 2, 6, 5, 3, 5, 8, 9, 7, 9]) {
      fed.push(t);
      expect(rows(await runner.forward(Int32Array.of(t)))).toEqual(rows(rowFor(fed)));
    }
    expect(p.counts).toEqual({
      forwards: 11,
      fedTokens: 15,
      gpuToCpuCopies: 11,
      cpuToGpuLogitUploads: 0,
      syncs: 11,
      jsArrayCopies: 11,
      samplingKernels: 0,
      pops: 0,
    });
    expect(p.tvm.ctx.autoDisposeScope.length).toBe(0);
  });
});

describe("KV reuse across divergent prompts", () => {
  it("keeps the common prefix: pops the rest from web-llm's KV cache and feeds only the new suffix", async () => {
    const { runner, gpuFree } = await world.load(TOY);
    const p = gpuFree.current();
    const feeder = new PrefixFeeder(runner);
    await feeder.prefill(Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8), null);
    // A regenerate / Qwen3 multi-turn prompt: same start, a different end.
    const second = await feeder.prefill(Int32Array.of(1, 2, 3, 4, 5, 10, 11), null);
    expect(second.reused).toBe(5);
    expect(rows(second.logits)).toEqual(rows(rowFor([1, 2, 3, 4, 5, 10, 11])));
    expect(p.kvCache.tokens).toEqual([1, 2, 3, 4, 5, 10, 11]);
    expect([p.counts.pops, p.counts.fedTokens]).toEqual([1, 8 + 2]);
    // n > 1: the same prompt again recomputes only its last token.
    const again = await feeder.prefill(Int32Array.of(1, 2, 3, 4, 5, 10, 11), null);
    expect(again.reused).toBe(6);
    expect(rows(again.logits)).toEqual(rows(rowFor([1, 2, 3, 4, 5, 10, 11])));
    expect([p.counts.pops, p.counts.fedTokens]).toEqual([2, 11]);
  });

  it("a cache that cannot pop (an RNN state) re-feeds the kept prefix with the suffix, with the same logits", async () => {
    const { runner, gpuFree } = await world.load(TOY);
    const p = gpuFree.current();
    p.rnnState = {};
    const feeder = new PrefixFeeder(runner);
    await feeder.prefill(Int32Array.of(1, 2, 3, 4, 5, 6), null);
    const second = await feeder.prefill(Int32Array.of(1, 2, 3, 9), null);
    expect(rows(second.logits)).toEqual(rows(rowFor([1, 2, 3, 9])));
    expect(p.kvCache.tokens).toEqual([1, 2, 3, 9]);
    expect([p.counts.pops, p.counts.fedTokens]).toEqual([0, 6 + 4]);
  });

  it("a sliding window pops while nothing has slid out", async () => {
    const cfg = modelConfig({ context_window_size: -1, sliding_window_size: 64, attention_sink_size: 0 });
    const { runner, gpuFree } = await world.load(TOY, cfg);
    const feeder = new PrefixFeeder(runner);
    await feeder.prefill(Int32Array.of(1, 2, 3, 4), null);
    await feeder.prefill(Int32Array.of(1, 2, 5), null);
    expect(gpuFree.current().counts.pops).toBe(1);
    expect(gpuFree.current().kvCache.tokens).toEqual([1, 2, 5]);
  });
});

describe("prompt_logprobs", () => {
  it("feeds one position per step and returns every row", async () => {
    const { runner, gpuFree } = await world.load(TOY);
    const all = await runner.forward(Int32Array.of(5, 6, 7), { allLogits: true });
    for (const [i, ctx] of [[5], [5, 6], [5, 6, 7]].entries())
      expect(rows(all.subarray(i * VOCAB, (i + 1) * VOCAB))).toEqual(rows(rowFor(ctx)));
    expect(gpuFree.current().counts.forwards).toBe(3);
  });

  it("is a 400 naming prompt_logprobs and the limit when the rows would pass 256 MB, before any step", async () => {
    const { runner, gpuFree } = await world.load(TOY, modelConfig({ vocab_size: 151936 }));
    expect(runner.maxPromptLogprobsTokens).toBe(441); // 256 MiB / (4 bytes × 151,936)
    const err = await runner.forward(new Int32Array(442).fill(1), { allLogits: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, param: "prompt_logprobs", code: "prompt_logprobs_too_long" });
    expect((err as Error).message).toContain("The limit is 441 prompt tokens");
    expect(gpuFree.current().counts.forwards).toBe(0);
  });
});
