/**
 * The reference runner against Hugging Face transformers' own logits, on tiny random models that
 * transformers built and saved (test/fixtures/hf/, written by make_hf_fixtures.py).
 */
import { describe, expect, it } from "vitest";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";
import { wasmKernels } from "../../../src/runners/reference/kernels/wasm-kernels.js";
import { caseConfig, caseWeights, manifest, readCase } from "./hf-fixtures.js";

/** Max |runner - transformers| over a position's logits, divided by max |transformers logit| there. */
const TOLERANCE = 1e-4;

const V = manifest.vocab_size;
const T = manifest.sequences[0]!.length;

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** Worst relative difference over all positions; also checks argmax at each one. */
function compare(got: Float32Array, want: Float32Array, label: string): number {
  let worst = 0;
  for (let t = 0; t < T; t++) {
    const g = got.subarray(t * V, (t + 1) * V);
    const w = want.subarray(t * V, (t + 1) * V);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < V; i++) {
      diff = Math.max(diff, Math.abs(g[i]! - w[i]!));
      scale = Math.max(scale, Math.abs(w[i]!));
    }
    worst = Math.max(worst, diff / scale);
    expect(argmax(g), `${label} argmax at position ${t}`).toBe(argmax(w));
  }
  return worst;
}

/** Run a sequence through the runner fed in the given chunk sizes; all positions' logits. */
async function run(runner: ReferenceRunner, tokens: number[], chunks: number[]): Promise<Float32Array> {
  runner.reset();
  const out = new Float32Array(tokens.length * V);
  let at = 0;
  for (const n of chunks) {
    out.set(await runner.forward(Int32Array.from(tokens.slice(at, at + n)), { allLogits: true }), at * V);
    at += n;
  }
  expect(at).toBe(tokens.length);
  return out;
}

const kernels = await wasmKernels();

const FEEDS: Record<string, number[]> = {
  "prefill of the whole sequence": [T],
  "token-by-token decode": Array<number>(T).fill(1),
  "split prefill (3 + 4 + rest)": [3, 4, T - 7],
};

describe(`transformers ${manifest.versions.transformers} parity (max|diff| / max|logit| < ${TOLERANCE}, argmax equal)`, () => {
  it("covers every architecture, both config forms and every weight dtype", () => {
    const names = manifest.cases.map((c) => c.name).join(" ");
    for (const arch of ["llama", "qwen2", "qwen3", "mistral", "granite", "gemma"]) expect(names).toContain(arch);
    expect(new Set(manifest.cases.map((c) => c.form.slice(0, 2)))).toEqual(new Set(["4x", "5x"]));
    expect(new Set(manifest.cases.map((c) => c.dtype))).toEqual(new Set(["float32", "float16", "bfloat16"]));
    expect(manifest.cases.some((c) => c.files.includes("model.safetensors.index.json"))).toBe(true);
  });

  describe.each(manifest.cases)("$name: $about", ({ name, files }) => {
    // The JavaScript loops, and the wasm SIMD kernels (float32 sums) that ReferenceRunner.load uses.
    const runners = {
      "JS loops": ReferenceRunner.fromBytes(caseConfig(name), caseWeights(name, files)),
      "wasm SIMD": ReferenceRunner.fromBytes(caseConfig(name), caseWeights(name, files), { kernels }),
    };
    const expected = new Float32Array(readCase(name, "logits.f32").slice().buffer);
    const cases = Object.entries(FEEDS).flatMap(([feed, chunks]) =>
      Object.entries(runners).map(([path, runner]) => [`${path}, ${feed}`, chunks, runner] as const),
    );
    it.each(cases)("%s", async (feed, chunks, runner) => {
      for (const [s, tokens] of manifest.sequences.entries()) {
        const want = expected.subarray(s * T * V, (s + 1) * T * V);
        const worst = compare(await run(runner, tokens, chunks), want, `${name} ${feed} sequence ${s}`);
        expect(worst, `${name} ${feed} sequence ${s}`).toBeLessThan(TOLERANCE);
      }
    });
  });
});
