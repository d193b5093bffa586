/** Runs test/bench/browser/ in headless Chromium (WebGPU on SwiftShader) behind a Vite dev server. */
import { chromium } from "@playwright/test";
import { createServer } from "vite";
import { chromiumLaunchOptions } from "../browser/support/chromium.js";
import { fromRuns, type Stats } from "./stats.js";

export interface BrowserBench {
  chunks: number;
  raw: Stats;
  ours: Stats;
  /** Median chunks/s ratio, ours over raw postMessage, from runs alternated in one page. */
  ratio: number;
  frameGap: Stats;
  tokensPerSecond: Stats;
  /** Template render + tokenize per request, by conversation size in tokens. */
  prompt: { tokens: number; stats: Stats; peer: Stats; ratio: number; same: boolean }[];
  /** Grammar cost per token along a valid nested-schema output: the engine's pick for a model agreeing with it, and mask + apply every token; one-off compile and setup. */
  grammar: { agreeing: Stats; mean: Stats; median: Stats; compileMs: number; setupMs: number; tokens: number };
}

export async function benchBrowser(chunks = 10_000, runs = 7): Promise<BrowserBench> {
  const server = await createServer({ logLevel: "error", server: { port: 0, host: "127.0.0.1" } });
  await server.listen();
  const url = server.resolvedUrls!.local[0]!;
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.goto(url + "test/bench/browser/bench.html");
    await page.locator("body[data-ready=true]").waitFor({ state: "attached", timeout: 120_000 });
    const r = await page.evaluate((o) => window.bench.run(o), { chunks, runs, tokens: 120, frameRuns: 3 });
    const ratios = r.transport.rawMs.map((raw, i) => raw / r.transport.oursMs[i]!).sort((a, b) => a - b);
    const medianRatio = (a: number[], b: number[]) => a.map((x, i) => x / b[i]!).sort((x, y) => x - y)[a.length >> 1]!;
    return {
      chunks,
      raw: fromRuns(r.transport.rawMs),
      ours: fromRuns(r.transport.oursMs),
      ratio: ratios[Math.floor(ratios.length / 2)]!,
      frameGap: fromRuns(r.frames.longest),
      tokensPerSecond: fromRuns(r.frames.tokensPerSecond),
      prompt: r.prompt.map((p) => ({
        tokens: p.tokens,
        stats: fromRuns(p.ms),
        peer: fromRuns(p.peerMs),
        ratio: medianRatio(p.peerMs, p.ms),
        same: p.same,
      })),
      grammar: {
        ...r.grammar,
        agreeing: fromRuns(r.grammar.agreeing),
        mean: fromRuns(r.grammar.mean),
        median: fromRuns(r.grammar.median),
      },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
