/**
 * The reference runner's wasm SIMD kernels against its scalar paths on the real SmolLM2-135M, in
 * Node, one thread, runs alternated in one process: the Q4_1 GGUF (kernels vs the scalar twin)
 * and the float32 safetensors folder (kernels vs the JavaScript loops). Tokens/s of a 32-token
 * prompt and of 4 decode steps after it. Standalone: `npx tsx test/bench/kernels.ts`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { modelFromGguf } from "../../src/runners/reference/gguf/model.js";
import { parseGguf } from "../../src/runners/reference/gguf/read-file.js";
import { ReferenceRunner } from "../../src/runners/reference/index.js";
import { wasmKernels } from "../../src/runners/reference/kernels/wasm-kernels.js";
import { SMOLLM2_GGUF } from "../unit/runners/gguf-fixtures.js";
import { fromRuns, ratioOfMedians, type Stats } from "./stats.js";

const SMOLLM2_HF = join(SMOLLM2_GGUF, "..", "hf");
const PROMPT = Int32Array.from({ length: 32 }, (_, i) => 100 + ((i * 7919) % 40000));
const DECODE = 4;

export interface KernelRow {
  model: string;
  /** Tokens/s, SIMD kernels and the scalar path. */
  prefill: { simd: Stats; scalar: Stats; ratio: number };
  decode: { simd: Stats; scalar: Stats; ratio: number };
}

async function speeds(runner: ReferenceRunner): Promise<{ prefill: number; decode: number }> {
  runner.reset();
  let t = performance.now();
  await runner.forward(PROMPT);
  const prefill = (PROMPT.length * 1000) / (performance.now() - t);
  t = performance.now();
  for (let i = 0; i < DECODE; i++) await runner.forward(Int32Array.of(200 + i));
  return { prefill, decode: (DECODE * 1000) / (performance.now() - t) };
}

async function sideBySide(model: string, simd: ReferenceRunner, scalar: ReferenceRunner, runs: number): Promise<KernelRow> {
  const got = {
    simd: { prefill: [] as number[], decode: [] as number[] },
    scalar: { prefill: [] as number[], decode: [] as number[] },
  };
  for (let i = 0; i < runs; i++) {
    for (const path of i % 2 ? (["scalar", "simd"] as const) : (["simd", "scalar"] as const)) {
      const s = await speeds(path === "simd" ? simd : scalar);
      got[path].prefill.push(s.prefill);
      got[path].decode.push(s.decode);
    }
  }
  const row = (k: "prefill" | "decode") => {
    const a = fromRuns(got.simd[k]);
    const b = fromRuns(got.scalar[k]);
    return { simd: a, scalar: b, ratio: ratioOfMedians(a, b) };
  };
  return { model, prefill: row("prefill"), decode: row("decode") };
}

export async function benchKernels(runs = 3): Promise<KernelRow[]> {
  const kernels = await wasmKernels();
  const bytes = new Uint8Array(readFileSync(SMOLLM2_GGUF));
  const gguf = (k: typeof kernels | null) =>
    modelFromGguf(parseGguf(bytes, SMOLLM2_GGUF), bytes, SMOLLM2_GGUF, { kernels: k, contextWindow: 256 }).then((m) => m.runner);
  const rows = [await sideBySide("SmolLM2-135M Q4_1 GGUF", await gguf(kernels), await gguf(null), runs)];
  const config: unknown = JSON.parse(readFileSync(join(SMOLLM2_HF, "config.json"), "utf8"));
  const st = new Uint8Array(readFileSync(join(SMOLLM2_HF, "model.safetensors")));
  const simd = ReferenceRunner.fromBytes(config, st, { contextWindow: 256, kernels });
  rows.push(
    await sideBySide("SmolLM2-135M fp32 safetensors", simd, ReferenceRunner.fromBytes(config, st, { contextWindow: 256 }), runs),
  );
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const r of await benchKernels()) {
    for (const k of ["prefill", "decode"] as const) {
      const { simd, scalar, ratio } = r[k];
      console.log(
        `${r.model} ${k}: SIMD ${simd.median.toFixed(2)} tok/s, scalar ${scalar.median.toFixed(2)} tok/s, ${ratio.toFixed(2)}×`,
      );
    }
  }
}
