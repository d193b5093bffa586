import { statSync, readdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";

/** What the page API sees, through the public entry point (src/index.ts) as an app imports it. */
type Api = typeof import("../../src/index.js");
const DIR = "public/models/tiny-random-qwen3/";
const TINY_BYTES = readdirSync(DIR).reduce((n, f) => n + statSync(DIR + f).size, 0);

/** Count the engine worker's requests for the weights (a load from the store makes none). */
function countWeightFetches(page: Page): () => number {
  let n = 0;
  page.context().on("request", (r) => void (r.url().endsWith("/model.safetensors") && n++));
  return () => n;
}

test.beforeEach(async ({ page }) => {
  await page.goto("/test/browser/support/client.html");
});

test("engine.cache: the tiny model is listed after a load with its byte size; delete removes every file and the next load downloads again", async ({
  page,
}) => {
  const fetches = countWeightFetches(page);
  const before = Date.now();
  const r = await page.evaluate(async () => {
    const api = (await import("/src/index.ts" as string)) as Api;
    const engine = await api.createEngine({ model: "tiny-random-qwen3" });
    const first = await engine.cache.list();
    const has = await engine.cache.has("tiny-random-qwen3");
    await engine.load("tiny-random-qwen3"); // the same engine, again: read from the store
    const estimate = await engine.cache.estimate();
    const freed = await engine.cache.delete("tiny-random-qwen3");
    const afterDelete = await engine.cache.list();
    const hasAfter = await engine.cache.has("tiny-random-qwen3");
    const keys = await (await caches.open("webgpu-chat-engine/reference")).keys();
    await engine.dispose();
    return { first, has, estimate, freed, afterDelete, hasAfter, keysLeft: keys.length };
  });
  expect(r.first).toEqual([
    {
      id: "tiny-random-qwen3",
      runner: "reference",
      backend: "cache",
      bytes: TINY_BYTES,
      files: 5,
      complete: true,
      lastUsed: expect.any(Number),
    },
  ]);
  expect(r.first[0]!.lastUsed).toBeGreaterThanOrEqual(before - 5_000);
  expect(r.has).toBe(true);
  expect(fetches()).toBe(1); // the second load read the store
  expect(r.estimate.engineBytes).toBe(TINY_BYTES);
  const { usage, quota } = r.estimate; // Chromium has storage.estimate: both known
  expect(usage).toBeGreaterThanOrEqual(TINY_BYTES);
  expect(quota).toBeGreaterThan(usage!);
  expect(r.estimate.available).toBe(quota! - usage!);
  expect(typeof r.estimate.persisted).toBe("boolean");
  expect(r.freed).toBe(TINY_BYTES);
  expect([r.afterDelete, r.hasAfter, r.keysLeft]).toEqual([[], false, 0]);

  await page.evaluate(async () => {
    const api = (await import("/src/index.ts" as string)) as Api;
    await (await api.createEngine({ model: "tiny-random-qwen3" })).dispose();
  });
  expect(fetches()).toBe(2); // deleted: downloaded again
});

test("a storage quota too small for the weights (the browser refuses the write): typed 503 with needed vs available bytes, nothing of the model left stored, and the engine still loads after space is freed", async ({
  page,
}) => {
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  const QUOTA = 30_000_000;
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: QUOTA });
  const r = await page.evaluate(async () => {
    const api = (await import("/src/index.ts" as string)) as Api;
    const engine = new api.ChatEngine();
    const error = await engine.load("tiny-random-qwen3").then(
      () => null,
      (e: unknown) => e,
    );
    const info =
      error instanceof api.ApiError
        ? { status: error.status, type: error.type, param: error.param, code: error.code, message: error.message }
        : String(error);
    const sizes = api.quotaSizes(error);
    const list = await engine.cache.list();
    const keys = await (await caches.open("webgpu-chat-engine/reference")).keys();
    const models = await engine.models.list();
    await engine.dispose();
    return { info, sizes, list, keys: keys.map((k) => k.url), models: models.data.length };
  });
  expect(r.info).toMatchObject({
    status: 503,
    type: "service_unavailable_error",
    param: "model",
    code: "storage_quota_exceeded",
  });
  expect((r.info as { message: string }).message).toMatch(/model\.safetensors: needed 39194672 bytes, available \d+ bytes/);
  expect(r.sizes!.needed).toBe(39194672);
  // The override is enforced on writes but not reflected by navigator.storage.estimate(), so the
  // size check before the download passed: this is the write the browser refused mid-way.
  expect(r.sizes!.available).toBeGreaterThanOrEqual(0);
  expect([r.list, r.keys, r.models]).toEqual([[], [], 0]);

  await cdp.send("Storage.overrideQuotaForOrigin", { origin }); // back to the browser's own quota
  const listed = await page.evaluate(async () => {
    const api = (await import("/src/index.ts" as string)) as Api;
    const engine = await api.createEngine({ model: "tiny-random-qwen3" });
    const list = await engine.cache.list();
    await engine.dispose();
    return list.map((m) => [m.id, m.bytes, m.complete]);
  });
  expect(listed).toEqual([["tiny-random-qwen3", TINY_BYTES, true]]);
});

test("a file larger than what estimate() reports free: the load fails before downloading it, with the exact sizes, and the files stored before it are removed", async ({
  page,
}) => {
  const r = await page.evaluate(async () => {
    const api = (await import("/src/index.ts" as string)) as Api;
    const worker = () => new Worker("/test/browser/support/small-quota.worker.ts", { type: "module" });
    const engine = new api.ChatEngine({ worker });
    const error = await engine.load("tiny-random-qwen3").then(
      () => null,
      (e: unknown) => e,
    );
    const code = error instanceof api.ApiError ? error.code : String(error);
    const list = await engine.cache.list();
    const keys = await (await caches.open("webgpu-chat-engine/reference")).keys();
    await engine.dispose();
    return { code, sizes: api.quotaSizes(error), list, keys: keys.length };
  });
  expect(r.code).toBe("storage_quota_exceeded");
  // tokenizer.json (11.4 MB) fits the reported 20 MB; the 39.2 MB weights do not.
  expect(r.sizes).toEqual({ needed: 39194672, available: 20_000_000 });
  expect([r.list, r.keys]).toEqual([[], 0]);
});

test("a sharded checkpoint in the reference store is complete only once every shard its index maps to is stored; delete removes them all", async ({
  page,
}) => {
  const r = await page.evaluate(async () => {
    const api = (await import("/src/index.ts" as string)) as Api;
    // The layout storingFetch writes for a sharded model (its files under the folder, and its record).
    const folder = `${location.origin}/models/sharded-test/`;
    const store = await caches.open("webgpu-chat-engine/reference");
    const put = (name: string, body: string) => store.put(folder + name, new Response(body));
    const record = { model_id: "sharded-test", runner: "reference", required: ["config.json"], last_used: 1 };
    await put(".webgpu-chat-engine-model.json", JSON.stringify(record));
    await put("config.json", "{}");
    const shards = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"];
    await put("model.safetensors.index.json", JSON.stringify({ weight_map: { "a.weight": shards[0], "b.weight": shards[1] } }));
    await put(shards[0]!, "x".repeat(100));
    const cache = new api.ModelCache();
    const oneShard = await cache.list();
    await put(shards[1]!, "y".repeat(50));
    const both = await cache.list();
    const freed = await cache.delete("sharded-test");
    return { oneShard, both, freed, left: (await store.keys()).length };
  });
  const indexBytes = JSON.stringify({
    weight_map: { "a.weight": "model-00001-of-00002.safetensors", "b.weight": "model-00002-of-00002.safetensors" },
  }).length;
  expect(r.oneShard).toMatchObject([{ id: "sharded-test", complete: false, files: 3, bytes: 2 + indexBytes + 100 }]);
  expect(r.both).toMatchObject([{ id: "sharded-test", complete: true, files: 4, bytes: 2 + indexBytes + 150, lastUsed: 1 }]);
  expect([r.freed, r.left]).toEqual([2 + indexBytes + 150, 0]);
});

test("an ONNX folder in the ONNX store: its onnx/ files count with the folder's record, complete once every external-data chunk config.json declares is stored", async ({
  page,
}) => {
  const r = await page.evaluate(async () => {
    const api = (await import("/src/index.ts" as string)) as Api;
    // The layout the engine's ONNX loads write: files under the folder (graphs in onnx/), its record.
    const folder = `${location.origin}/models/onnx-chunked/`;
    const store = await caches.open("webgpu-chat-engine/onnx");
    const put = (name: string, body: string) => store.put(folder + name, new Response(body));
    const required = ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model_q4.onnx"];
    await put(
      ".webgpu-chat-engine-model.json",
      JSON.stringify({ model_id: "onnx-chunked", runner: "onnx", required, last_used: 7 }),
    );
    await put("config.json", JSON.stringify({ "transformers.js_config": { use_external_data_format: { "model_q4.onnx": 2 } } }));
    await put("tokenizer.json", "{}");
    await put("tokenizer_config.json", "{}");
    await put("onnx/model_q4.onnx", "g".repeat(10));
    await put("onnx/model_q4.onnx_data", "d".repeat(100));
    const cache = new api.ModelCache();
    const oneChunk = await cache.list();
    await put("onnx/model_q4.onnx_data_1", "e".repeat(50));
    const both = await cache.list();
    const freed = await cache.delete("onnx-chunked");
    return { oneChunk, both, freed, left: (await store.keys()).length };
  });
  const configBytes = JSON.stringify({ "transformers.js_config": { use_external_data_format: { "model_q4.onnx": 2 } } }).length;
  const bytes = configBytes + 2 + 2 + 10 + 100;
  expect(r.oneChunk).toEqual([
    { id: "onnx-chunked", runner: "onnx", backend: "cache", complete: false, files: 5, bytes, lastUsed: 7 },
  ]);
  expect(r.both).toMatchObject([{ id: "onnx-chunked", runner: "onnx", complete: true, files: 6, bytes: bytes + 50 }]);
  expect([r.freed, r.left]).toEqual([bytes + 50, 0]);
});

test("persist() answers whether the browser keeps the storage (a boolean); has() is false for a model never stored", async ({
  page,
}) => {
  const r = await page.evaluate(async () => {
    const api = (await import("/src/index.ts" as string)) as Api;
    const cache = new api.ModelCache();
    return {
      persist: await cache.persist(),
      has: await cache.has("Llama-3.2-1B-Instruct-q4f32_1-MLC"),
      list: await cache.list(),
    };
  });
  expect(typeof r.persist).toBe("boolean");
  expect([r.has, r.list]).toEqual([false, []]);
});
