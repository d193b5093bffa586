/**
 * Generate vs generate in one Chromium page: the engine's loop on the OnnxRunner against
 * transformers.js's own `generate` on the same model folder and execution provider, run by run
 * alternated (and which goes first), plus the reference runner on the CPU with random weights of
 * the same shape. Both sides: greedy, the same prompt ids, exactly N+1 new tokens (EOS masked),
 * each new token stamped inside its worker right after its pick (ours: the loop's token event;
 * transformers.js: its streamer's put).
 * Prefill: the time to the first token (cold prompt forward + one pick). Decode: the median gap
 * between consecutive tokens of a run (forward of one token + pick); its mean is kept too.
 */
import { createRequire } from "node:module";
import { dirname, relative, resolve } from "node:path";
import type { Page } from "@playwright/test";
import type { GenerateDevice, GenerateDtype, GenerateRun } from "./browser/onnx-generate.js";
import { fromRuns, ratioOfMedians, type Stats } from "./stats.js";

export interface GenerateSide {
  /** ms to the first new token, per run. */
  prefillMs: Stats;
  /** Median ms between consecutive new tokens, per run. */
  decodeMs: Stats;
  /** Mean ms between consecutive new tokens, per run. */
  decodeMeanMs: Stats;
}

export interface GenerateCompare {
  model: string;
  device: GenerateDevice;
  /** Decode tokens per run (the first new token is the prefill's). */
  newTokens: number;
  ours: GenerateSide;
  transformersJs: GenerateSide;
  /** transformers.js median / ours median (higher: ours faster). */
  prefillRatio: number;
  decodeRatio: number;
  /** Both picked the same greedy tokens in every run. */
  same: boolean;
  /** The warm-up run (the first generate after the load), not in the stats: time to first token and median gap, ms. */
  firstRun: Record<"ours" | "transformersJs", { prefill: number; decode: number }>;
}

export interface GenerateBench {
  promptTokens: number;
  transformersJsVersion: string;
  rows: GenerateCompare[];
  /** The reference runner (CPU, JS) under the same loop, per model. */
  reference: { model: string; newTokens: number; side: GenerateSide }[];
}

const ROOT = resolve(import.meta.dirname, "../..");

/** transformers.js's own onnxruntime-web dist/ folder as a dev-server path (it nests its own 1.31 build). */
export function peerOrtDistPath(): string {
  const require = createRequire(resolve(ROOT, "node_modules/@huggingface/transformers/package.json"));
  return "/" + relative(ROOT, dirname(require.resolve("onnxruntime-web"))) + "/";
}

type Side = "ours" | "peer";

async function run(page: Page, side: Side, prompt: number[], newTokens: number): Promise<GenerateRun> {
  return page.evaluate(([s, p, n]) => window.onnxGenerate[s](p, n), [side, prompt, newTokens] as const);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Time to first token, and the median and mean gap between the following ones. */
function timings(r: GenerateRun) {
  const gaps = r.stamps.slice(1).map((t, i) => t - r.stamps[i]!);
  return { prefill: r.stamps[0]!, decode: median(gaps), mean: gaps.reduce((a, b) => a + b, 0) / gaps.length };
}

class Collect {
  private readonly t = { prefill: [] as number[], decode: [] as number[], mean: [] as number[] };
  add(r: GenerateRun) {
    const x = timings(r);
    this.t.prefill.push(x.prefill);
    this.t.decode.push(x.decode);
    this.t.mean.push(x.mean);
  }
  side(): GenerateSide {
    return { prefillMs: fromRuns(this.t.prefill), decodeMs: fromRuns(this.t.decode), decodeMeanMs: fromRuns(this.t.mean) };
  }
}

/** Where a model folder is: its dtype's graph, under `base` (the ONNX test fixtures unless given). */
export interface GenerateFolder {
  dtype?: GenerateDtype;
  base?: string;
  /** Our runner's warm-up run at load (OnnxLoadOptions.warmUp; default off, as the runner's). */
  warmUp?: boolean;
}

/** `runs` alternated generates per side, after one warm-up each (shader compile, JIT). */
export async function compare(
  page: Page,
  model: string,
  device: GenerateDevice,
  prompt: number[],
  newTokens: number,
  runs: number,
  folder: GenerateFolder = {},
) {
  const { dtype = "fp32", base, warmUp = false } = folder;
  await page.evaluate(([m, d, t, b, w]) => window.onnxGenerate.loadOurs(m, d, t, b, w), [
    model,
    device,
    dtype,
    base,
    warmUp,
  ] as const);
  const version = await page.evaluate(([m, d, o, t, b]) => window.onnxGenerate.loadPeer(m, d, o, t, b), [
    model,
    device,
    peerOrtDistPath(),
    dtype,
    base,
  ] as const);
  const c = { ours: new Collect(), peer: new Collect() };
  let same = true;
  const first = {
    ours: timings(await run(page, "ours", prompt, newTokens + 1)),
    peer: timings(await run(page, "peer", prompt, newTokens + 1)),
  };
  for (let r = 0; r < runs; r++) {
    const tokens: Record<Side, number[]> = { ours: [], peer: [] };
    for (const side of r % 2 ? (["peer", "ours"] as const) : (["ours", "peer"] as const)) {
      const g = await run(page, side, prompt, newTokens + 1);
      c[side].add(g);
      tokens[side] = g.tokens;
    }
    same &&= tokens.ours.length === newTokens + 1 && tokens.ours.join() === tokens.peer.join();
  }
  const ours = c.ours.side();
  const transformersJs = c.peer.side();
  const row: GenerateCompare = {
    model,
    device,
    newTokens,
    ours,
    transformersJs,
    prefillRatio: ratioOfMedians(transformersJs.prefillMs, ours.prefillMs),
    decodeRatio: ratioOfMedians(transformersJs.decodeMs, ours.decodeMs),
    same,
    firstRun: {
      ours: { prefill: first.ours.prefill, decode: first.ours.decode },
      transformersJs: { prefill: first.peer.prefill, decode: first.peer.decode },
    },
  };
  return { version, row };
}

async function reference(page: Page, model: string, prompt: number[], newTokens: number, runs: number): Promise<GenerateSide> {
  await page.evaluate((m) => window.onnxGenerate.loadOurs(m, "reference"), model);
  const c = new Collect();
  await run(page, "ours", prompt, newTokens + 1);
  for (let r = 0; r < runs; r++) c.add(await run(page, "ours", prompt, newTokens + 1));
  return c.side();
}

const DEFAULTS = {
  /** Both graph styles: a torch.onnx.export graph and a GroupQueryAttention one. */
  models: ["tiny-random-qwen3", "tiny-random-llama-gqa"],
  promptTokens: 128,
  newTokens: { wasm: 32, webgpu: 12 },
  runs: { wasm: 9, webgpu: 5 },
};

/** On a page already at test/bench/browser/onnx-generate.html. */
export async function benchOnnxGenerate(page: Page, opts = DEFAULTS): Promise<GenerateBench> {
  const prompt = Array.from({ length: opts.promptTokens }, (_, i) => 3 + ((i * 37) % 500));
  const rows: GenerateCompare[] = [];
  const ref: GenerateBench["reference"] = [];
  let version = "";
  for (const model of opts.models) {
    for (const device of ["wasm", "webgpu"] as const) {
      const c = await compare(page, model, device, prompt, opts.newTokens[device], opts.runs[device]);
      rows.push(c.row);
      version = c.version;
    }
    const side = await reference(page, model, prompt, opts.newTokens.wasm, opts.runs.wasm);
    ref.push({ model, newTokens: opts.newTokens.wasm, side });
  }
  return { promptTokens: opts.promptTokens, transformersJsVersion: version, rows, reference: ref };
}
