/** The kernels' silu_mul (the decoder's SiLU · up with wasm kernels) against ops.ts's silu in JavaScript. */
import { expect, it } from "vitest";
import { wasmKernels } from "../../../src/runners/reference/kernels/wasm-kernels.js";
import { silu } from "../../../src/runners/reference/ops.js";

it("gives silu(gate) · up within an ulp of JavaScript's, over the whole float range", async () => {
  const kernels = await wasmKernels();
  const n = 20000;
  const gate = Float32Array.from({ length: n }, (_, i) => Math.sinh((i / n - 0.5) * 24) * (i % 3 ? 1 : 1e-3));
  gate.set([0, -0, 1e-40, -1e-40, 88, -88, 710, -710, 3e38, -3e38, Infinity, -Infinity], 0);
  const up = Float32Array.from({ length: n }, (_, i) => Math.cos(i) * 4);
  const want = Float32Array.from(gate, (g, i) => silu(g) * up[i]!);
  const got = gate.slice();
  kernels.siluMul(got, up, n);
  let same = 0;
  for (let i = 0; i < n; i++) {
    if (Object.is(got[i], want[i])) same++;
    else expect(Math.abs(got[i]! - want[i]!), `gate ${gate[i]}`).toBeLessThanOrEqual(Math.abs(want[i]!) * 2 ** -23);
  }
  expect(same / n).toBeGreaterThan(0.999);
});
