import { describe, expect, it } from "vitest";
import { PrefixFeeder } from "../../../src/engine/decode/prefix-cache.js";
import { GpuFree, rowFor } from "./webllm-gpu-stand-in.js";
import { gpuFreeWorld, TOY } from "./webllm-world.js";

const world = gpuFreeWorld();
const rows = (a: Float32Array) => Array.from(a);
const gated = () => {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  return { gate, open };
};
/** What web-llm's device.lost handler does: `this.unload()`, not awaited. */
const loseDevice = (engine: { unload(): Promise<void> }) => void engine.unload();

describe("GPU device loss", () => {
  it("during a forward: a 503 gpu_device_lost, then the next call reloads the model and works", async () => {
    const { runner, gpuFree } = await world.load(TOY);
    const feeder = new PrefixFeeder(runner);
    await feeder.prefill(Int32Array.of(1, 2, 3), null);
    const first = gpuFree.current();
    const { gate, open } = gated();
    first.gate = gate;
    const inFlight = feeder.feed(Int32Array.of(4));
    loseDevice(gpuFree.engine);
    open();
    await expect(inFlight).rejects.toMatchObject({ status: 503, param: "model", code: "gpu_device_lost" });
    expect(first.disposed).toBe(true);
    // The engine's next request: a cold prefill on a reloaded model.
    const next = await feeder.prefill(Int32Array.of(1, 2, 3, 4), null);
    expect(next.reused).toBe(0);
    expect(rows(next.logits)).toEqual(rows(rowFor([1, 2, 3, 4])));
    expect([gpuFree.engines.length, gpuFree.pipelines.length]).toEqual([2, 2]);
    expect(gpuFree.current().kvCache.tokens).toEqual([1, 2, 3, 4]);
  });

  it("also when web-llm's own unload fails on the lost device (its maps keep the dead pipeline): a new engine loads it", async () => {
    const { runner, gpuFree } = await world.load(TOY);
    await runner.forward(Int32Array.of(1, 2));
    const dead = gpuFree.current();
    const { gate, open } = gated();
    dead.gate = gate;
    dead.disposeThrows = true;
    const inFlight = runner.forward(Int32Array.of(3));
    const handler = gpuFree.engine.unload(); // web-llm's device.lost handler
    await expect(handler).rejects.toThrow("dispose on a destroyed device");
    expect(gpuFree.loadedIds()).toEqual([TOY.model_id]);
    open();
    await expect(inFlight).rejects.toMatchObject({ status: 503, code: "gpu_device_lost" });
    expect(rows(await runner.forward(Int32Array.of(7, 8)))).toEqual(rows(rowFor([7, 8])));
    expect([gpuFree.engines.length, gpuFree.pipelines.length]).toEqual([2, 2]);
  });

  it("between calls: the next call reloads and re-feeds what the cache held, so prefix reuse still holds", async () => {
    const { runner, gpuFree } = await world.load(TOY);
    const feeder = new PrefixFeeder(runner);
    await feeder.prefill(Int32Array.of(1, 2, 3), null);
    loseDevice(gpuFree.engine);
    await new Promise((r) => setTimeout(r, 0));
    const next = await feeder.prefill(Int32Array.of(1, 2, 3, 4, 5), null);
    expect(next.reused).toBe(3);
    expect(rows(next.logits)).toEqual(rows(rowFor([1, 2, 3, 4, 5])));
    expect(gpuFree.pipelines.length).toBe(2);
    expect(gpuFree.current().kvCache.tokens).toEqual([1, 2, 3, 4, 5]);
  });

  it("a reload that fails is unloaded and a 503 model_reload_failed; the call after it reloads again", async () => {
    const { runner, gpuFree } = await world.load(TOY);
    await runner.forward(Int32Array.of(1, 2));
    loseDevice(gpuFree.engine);
    await new Promise((r) => setTimeout(r, 0));
    gpuFree.failReload = new Error("Device was lost during reload");
    await expect(runner.forward(Int32Array.of(3))).rejects.toMatchObject({ status: 503, code: "model_reload_failed" });
    expect(gpuFree.loadedIds()).toEqual([]);
    expect(rows(await runner.forward(Int32Array.of(3)))).toEqual(rows(rowFor([1, 2, 3])));
  });
});

describe("unload and load failures", () => {
  it("an unload waits for the forward in flight; a call after it is a 404 model_unloaded; nothing stays queued", async () => {
    const { runner, gpuFree } = await world.load(TOY);
    const p = gpuFree.current();
    const { gate, open } = gated();
    p.gate = gate;
    const inFlight = runner.forward(Int32Array.of(1, 2, 3));
    const unloading = runner.dispose();
    const after = expect(runner.forward(Int32Array.of(4))).rejects.toMatchObject({ status: 404, code: "model_unloaded" });
    await new Promise((r) => setTimeout(r, 0));
    expect(p.disposed).toBe(false);
    open();
    expect(rows(await inFlight)).toEqual(rows(rowFor([1, 2, 3])));
    await unloading;
    expect(p.disposed).toBe(true);
    await after;
    await expect(runner.forward(Int32Array.of(5))).rejects.toMatchObject({ status: 404, code: "model_unloaded" });
  });

  it("a load whose reload fails leaves web-llm unloaded and rejects with web-llm's error", async () => {
    const gpuFree = new GpuFree();
    gpuFree.failReload = new Error("Device was lost: out of memory");
    await expect(world.load(TOY, undefined, {}, gpuFree)).rejects.toThrow("Device was lost: out of memory");
    expect(gpuFree.loadedIds()).toEqual([]);
    expect(gpuFree.pipelines).toEqual([]);
  });
});

describe("TVM scopes", () => {
  it("a forward that fails inside web-llm closes the scopes it left open and leaves the runner usable", async () => {
    const { runner, gpuFree } = await world.load(TOY);
    const p = gpuFree.current();
    p.failNext = new Error("WebGPU validation error");
    await expect(runner.forward(Int32Array.of(1, 2))).rejects.toThrow("WebGPU validation error");
    expect(p.tvm.ctx.autoDisposeScope.length).toBe(0);
    expect(rows(await runner.forward(Int32Array.of(1, 2)))).toEqual(rows(rowFor([1, 2])));
  });
});
