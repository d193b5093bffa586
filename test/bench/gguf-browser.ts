/**
 * GGUF in Chromium, one thread per side, in one page (test/bench/browser/gguf.html): the real
 * model's Q4_1 file on our reference runner against @wllama/wllama (llama.cpp in wasm) on the same
 * file and against our OnnxRunner (WASM, fp32) on the same model's ONNX graph, runs alternated
 * (rotating which goes first). Decode: the median gap between new tokens; prefill: the time to the
 * first token of a 512-token prompt. Load: a raw read of the file's bytes from the Cache API
 * against loading the GGUF from there, alternated; memory: the kernels' wasm memory after a load.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Page } from "@playwright/test";
import { createServer } from "vite";
import { REAL_MODEL_CACHE } from "../../scripts/real-model/serve.js";
import { chromiumLaunchOptions } from "../browser/support/chromium.js";
import { SMOLLM2_GGUF } from "../unit/runners/gguf-fixtures.js";
import type { GenerateRun } from "./browser/onnx-generate.js";
import { fromRuns, ratioOfMedians, type Stats } from "./stats.js";

const GGUF_URL = "/models/gguf/SmolLM2-135M-Instruct.Q4_1.gguf";
const ONNX_FOLDER = "/models/SmolLM2-135M-Instruct-onnx/";
const WORDS = ["the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "it", "big", "red", "house", "in", "town"];
const N_CTX = 2048;

type Side = "gguf" | "wllama" | "onnx";
const SIDES: Side[] = ["gguf", "wllama", "onnx"];

export interface GgufSideTimes {
  prefillMs: Stats;
  decodeMs: Stats;
}

export interface GgufBrowserBench {
  fileBytes: number;
  rawReadMs: Stats;
  loadMs: Stats;
  assembleMs: Stats;
  wasmBytes: number;
  wllamaLoadMs: number;
  decodeTokens: number;
  promptTokens: number;
  decode: Record<Side, Stats>;
  prefill: Record<Side, Stats>;
}

/** A prompt of `n` words after a different first word per run (no side reuses an earlier run's cache). */
const text = (n: number, run: number) =>
  [`Story${run}:`, ...Array.from({ length: n - 1 }, (_, i) => WORDS[(i * 7 + run) % WORDS.length])].join(" ");

/** Progress on stderr (GGUF_BENCH_LOG=1): these rows take minutes on a loaded machine. */
const log = (msg: string) => void (process.env.GGUF_BENCH_LOG && console.error(`gguf bench: ${msg}`));

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function one(page: Page, side: Side, prompt: string, newTokens: number): Promise<GenerateRun> {
  if (side === "onnx") {
    const { promptIds } = await page.evaluate(([t]) => window.ggufBench.gguf(t, 1), [prompt] as const);
    return page.evaluate(([ids, n]) => window.ggufBench.onnx(ids, n), [promptIds, newTokens] as const);
  }
  return page.evaluate(([s, t, n]) => window.ggufBench[s](t, n), [side, prompt, newTokens] as const);
}

/** `runs` rounds, each side once per round in a rotating order; per side: time to first token and median gap. */
async function rounds(page: Page, words: number, newTokens: number, runs: number, warm: boolean) {
  const ttft: Record<Side, number[]> = { gguf: [], wllama: [], onnx: [] };
  const gap: Record<Side, number[]> = { gguf: [], wllama: [], onnx: [] };
  for (const side of warm ? SIDES : []) {
    await one(page, side, text(words, 99), newTokens); // warm-up
    log(`${side} warmed up`);
  }
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < SIDES.length; k++) {
      const side = SIDES[(r + k) % SIDES.length]!;
      const g = await one(page, side, text(words, r), newTokens);
      ttft[side].push(g.stamps[0]!);
      if (g.stamps.length > 2) gap[side].push(median(g.stamps.slice(1).map((t, i) => t - g.stamps[i]!)));
      log(`${side} ${words} words: first token ${g.stamps[0]!.toFixed(0)} ms, median gap ${gap[side].at(-1)?.toFixed(1)} ms`);
    }
  }
  const stats = (t: Record<Side, number[]>) =>
    Object.fromEntries(SIDES.map((s) => [s, fromRuns(t[s].length ? t[s] : [NaN])])) as Record<Side, Stats>;
  return { ttft: stats(ttft), gap: stats(gap) };
}

export async function benchGgufBrowser(loadRuns = 3, decodeRuns = 3, prefillRuns = 1): Promise<GgufBrowserBench | null> {
  if (!existsSync(SMOLLM2_GGUF) || !existsSync(join(REAL_MODEL_CACHE, "onnx", ".ready"))) {
    console.log("real model or its GGUF missing (scripts/real-model/build.sh, gguf.sh): no gguf_* browser rows");
    return null;
  }
  const server = await createServer({
    logLevel: "error",
    // Cross-origin isolated: wllama's wasm memory is shared, and workers' timers tick in µs.
    server: {
      port: 0,
      host: "127.0.0.1",
      headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" },
    },
    optimizeDeps: { entries: ["test/bench/browser/gguf.html"], include: ["@wllama/wllama", "comlink"] },
  });
  await server.listen();
  const url = server.resolvedUrls!.local[0]!;
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    page.on("console", (m) => m.type() === "error" && log(`page: ${m.text()}`));
    page.on("pageerror", (e) => log(`page error: ${e.message}`));
    await page.goto(url + "test/bench/browser/gguf.html");
    await page.locator("body[data-ready=true]").waitFor({ state: "attached", timeout: 120_000 });
    // Load: raw read and load alternated, after one of each to fill the cache and warm up.
    const reads: number[] = [];
    const loads: number[] = [];
    const assembles: number[] = [];
    let wasmBytes = 0;
    await page.evaluate((u) => window.ggufBench.rawRead(u), GGUF_URL);
    await page.evaluate((u) => window.ggufBench.loadGguf(u), GGUF_URL);
    for (let r = 0; r < loadRuns; r++) {
      for (const kind of r % 2 ? (["load", "read"] as const) : (["read", "load"] as const)) {
        if (kind === "read") {
          reads.push(await page.evaluate((u) => window.ggufBench.rawRead(u), GGUF_URL));
          log(`raw read ${reads.at(-1)!.toFixed(0)} ms`);
        } else {
          const t = await page.evaluate((u) => window.ggufBench.loadGguf(u), GGUF_URL);
          loads.push(t.loadMs);
          assembles.push(t.assembleMs);
          wasmBytes = t.wasmBytes;
          log(`load ${t.loadMs.toFixed(0)} ms + assemble ${t.assembleMs.toFixed(0)} ms`);
        }
      }
    }
    const wllamaLoadMs = await page.evaluate(([u, n]) => window.ggufBench.loadWllama(u, n), [GGUF_URL, N_CTX] as const);
    log(`wllama loaded in ${wllamaLoadMs.toFixed(0)} ms`);
    await page.evaluate((f) => window.ggufBench.loadOnnx(f), ONNX_FOLDER);
    log("onnx loaded");
    const decodeTokens = 16;
    const promptTokens = 512;
    // Few runs: on this shared machine one 512-token prefill takes minutes on some sides.
    const decode = await rounds(page, 32, decodeTokens + 1, decodeRuns, true);
    const prefill = await rounds(page, promptTokens, 2, prefillRuns, false);
    return {
      fileBytes: statSync(SMOLLM2_GGUF).size,
      rawReadMs: fromRuns(reads),
      loadMs: fromRuns(loads),
      assembleMs: fromRuns(assembles),
      wasmBytes,
      wllamaLoadMs,
      decodeTokens,
      promptTokens,
      decode: decode.gap,
      prefill: prefill.ttft,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Higher is better: the other side's median time over ours. */
export function ggufRatios(b: GgufBrowserBench) {
  return {
    gguf_decode_vs_wllama: ratioOfMedians(b.decode.wllama, b.decode.gguf),
    gguf_prefill_vs_wllama: ratioOfMedians(b.prefill.wllama, b.prefill.gguf),
    gguf_decode_vs_onnx_wasm: ratioOfMedians(b.decode.onnx, b.decode.gguf),
    gguf_prefill_vs_onnx_wasm: ratioOfMedians(b.prefill.onnx, b.prefill.gguf),
    gguf_load_vs_raw_read: ratioOfMedians(b.rawReadMs, b.loadMs),
    gguf_memory_vs_file: b.fileBytes / b.wasmBytes,
  };
}
