/** In Chromium's page: the reference runner's SIMD kernels against its scalar paths (test/bench/kernels-browser.ts drives it). */
import { modelFromGguf } from "../../../src/runners/reference/gguf/model.js";
import { parseGguf } from "../../../src/runners/reference/gguf/read-file.js";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";
import { wasmKernels } from "../../../src/runners/reference/kernels/wasm-kernels.js";

const GGUF = "/models/gguf/SmolLM2-135M-Instruct.Q4_1.gguf";
const HF = "/models/SmolLM2-135M-Instruct-hf/";
const PROMPT = Int32Array.from({ length: 32 }, (_, i) => 100 + ((i * 7919) % 40000));
const DECODE = 4;

/** Tokens/s per run, SIMD and scalar alternated. */
type Runs = Record<"simd" | "scalar", { prefill: number[]; decode: number[] }>;

async function speeds(runner: ReferenceRunner): Promise<{ prefill: number; decode: number }> {
  runner.reset();
  let t = performance.now();
  await runner.forward(PROMPT);
  const prefill = (PROMPT.length * 1000) / (performance.now() - t);
  t = performance.now();
  for (let i = 0; i < DECODE; i++) await runner.forward(Int32Array.of(200 + i));
  return { prefill, decode: (DECODE * 1000) / (performance.now() - t) };
}

async function sideBySide(simd: ReferenceRunner, scalar: ReferenceRunner, runs: number): Promise<Runs> {
  const got: Runs = { simd: { prefill: [], decode: [] }, scalar: { prefill: [], decode: [] } };
  for (let i = 0; i < runs; i++) {
    for (const path of i % 2 ? (["scalar", "simd"] as const) : (["simd", "scalar"] as const)) {
      const s = await speeds(path === "simd" ? simd : scalar);
      got[path].prefill.push(s.prefill);
      got[path].decode.push(s.decode);
    }
  }
  return got;
}

/** `fp32`: also the safetensors folder (two 540 MB copies in one page: the tab may run out of memory). */
async function run(runs: number, fp32: boolean): Promise<Record<string, Runs>> {
  const kernels = await wasmKernels();
  const bytes = new Uint8Array(await (await fetch(GGUF)).arrayBuffer());
  const gguf = (k: typeof kernels | null) =>
    modelFromGguf(parseGguf(bytes, GGUF), bytes, GGUF, { kernels: k, contextWindow: 256 }).then((m) => m.runner);
  const out: Record<string, Runs> = {};
  out["SmolLM2-135M Q4_1 GGUF"] = await sideBySide(await gguf(kernels), await gguf(null), runs);
  if (!fp32) return out;
  const simd = await ReferenceRunner.load(HF, { contextWindow: 256, kernels });
  const scalar = await ReferenceRunner.load(HF, { contextWindow: 256, kernels: null });
  out["SmolLM2-135M fp32 safetensors"] = await sideBySide(simd, scalar, runs);
  return out;
}

declare global {
  interface Window {
    kernelsBench: typeof run;
  }
}
window.kernelsBench = run;
document.body.dataset.ready = "true";
