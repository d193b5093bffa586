import { expect, test } from "./support/fixtures.js";
import { workerHeap } from "./support/worker-heap.js";

test("load: 200 queued requests with mixed priorities finish in priority order, none lost or duplicated; the worker's memory returns to baseline", async ({
  harness,
}) => {
  test.setTimeout(240_000);
  await harness.evaluate(() => window.harness.engine.queueLoad(20)); // warm up: caches, compiled code
  const heap = await workerHeap(harness, "worker.ts");
  const baseline = await heap();
  const r = await harness.evaluate(() => window.harness.engine.queueLoad(200));
  const after = await heap();
  console.log(
    `load: queue peak ${r.peak}; worker heap ${(baseline / 2 ** 20).toFixed(1)} MB before, ${(after / 2 ** 20).toFixed(1)} MB after (${((after - baseline) / 1024).toFixed(0)} kB)`,
  );
  expect(r.peak).toBe(200); // every small request was queued behind the long one
  const expected = [...r.sent]
    .sort((a, b) => a.priority - b.priority || Number(a.id.slice(5)) - Number(b.id.slice(5)))
    .map((s) => s.id);
  expect(r.order).toEqual(expected);
  expect(new Set(r.order).size).toBe(200);
  expect(r.after).toBe(0);
  expect(after - baseline).toBeLessThan(2 * 2 ** 20);
});
