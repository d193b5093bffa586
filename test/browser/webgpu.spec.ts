import { expect, test } from "./support/fixtures.js";

const expected = {
  hasGpu: true,
  adapter: true,
  device: true,
  computeResult: [2, 4, 6, 8],
};

test("a WebGPU adapter and device exist in the page and run a compute shader", async ({ harness }) => {
  const probe = await harness.evaluate(() => window.harness.probeWebGpu());
  expect(probe).toMatchObject(expected);
  // SwiftShader, as DESIGN.md measured: a fallback adapter without shader-f16.
  expect(probe.shaderF16).toBe(false);
});

test("a WebGPU adapter and device exist in a module Worker", async ({ harness }) => {
  const probe = await harness.evaluate(() => window.harness.probeWebGpuInWorker());
  expect(probe).toMatchObject(expected);
});
