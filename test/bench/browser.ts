/** Runs test/bench/browser/ in headless Chromium (WebGPU on SwiftShader) behind a Vite dev server. */
import { chromium } from "@playwright/test";
import { createServer } from "vite";
import { chromiumLaunchOptions } from "../browser/support/chromium.js";
import { fromRuns, ratioOfMedians, type Stats } from "./stats.js";

export interface BrowserBench {
  chunks: number;
  raw: Stats;
  ours: Stats;
  /** Chunks/s ratio, ours over raw postMessage: median time of raw / median time of ours, runs alternated in one page. */
  ratio: number;
  /** The page's main-thread time per chunk (DevTools TaskDuration over a run / chunks), in µs. */
  rawMainUs: Stats;
  oursMainUs: Stats;
  frameGap: Stats;
  tokensPerSecond: Stats;
  /** Template render + tokenize per request, by conversation size in tokens; ratio = peer median / ours. */
  prompt: { tokens: number; stats: Stats; peer: Stats; ratio: number; same: boolean }[];
  /** A follow-up turn of the largest chat: whole path against incremental; ratio = full median / incremental. */
  incremental: { tokens: number; full: Stats; words: Stats; incremental: Stats; ratio: number; same: boolean };
  /** Grammar cost per token along a valid nested-schema output: the engine's pick for a model agreeing with it, and mask + apply every token; one-off compile and setup. */
  grammar: { agreeing: Stats; mean: Stats; median: Stats; compileMs: number; setupMs: number; tokens: number };
}

/** BENCH_PORT picks the Vite port (default: any free one). */
export async function benchBrowser(chunks = 10_000, runs = 9): Promise<BrowserBench> {
  const port = Number(process.env.BENCH_PORT ?? 0);
  const server = await createServer({ logLevel: "error", server: { port, strictPort: port !== 0, host: "127.0.0.1" } });
  await server.listen();
  const url = server.resolvedUrls!.local[0]!;
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const mainThreadMs = async () => {
      const { metrics } = await cdp.send("Performance.getMetrics");
      return 1000 * metrics.find((m) => m.name === "TaskDuration")!.value;
    };
    await page.goto(url + "test/bench/browser/bench.html");
    await page.locator("body[data-ready=true]").waitFor({ state: "attached", timeout: 120_000 });
    const r = await page.evaluate((o) => window.bench.run(o), { tokens: 120, frameRuns: 3 });
    // Transport: raw and ours alternated run by run (and which goes first), main-thread time around each.
    const t = { raw: [] as number[], ours: [] as number[], rawMain: [] as number[], oursMain: [] as number[] };
    await page.evaluate(() => window.bench.transport("raw", 100));
    for (let i = 0; i < runs; i++) {
      for (const kind of i % 2 ? (["ours", "raw"] as const) : (["raw", "ours"] as const)) {
        const before = await mainThreadMs();
        const ms = await page.evaluate(([k, n]) => window.bench.transport(k, n), [kind, chunks] as const);
        const main = (await mainThreadMs()) - before;
        t[kind].push(ms);
        t[kind === "raw" ? "rawMain" : "oursMain"].push((main * 1000) / chunks);
      }
    }
    const raw = fromRuns(t.raw);
    const ours = fromRuns(t.ours);
    const inc = r.prompt.incremental;
    return {
      chunks,
      raw,
      ours,
      ratio: ratioOfMedians(raw, ours),
      rawMainUs: fromRuns(t.rawMain),
      oursMainUs: fromRuns(t.oursMain),
      frameGap: fromRuns(r.frames.longest),
      tokensPerSecond: fromRuns(r.frames.tokensPerSecond),
      prompt: r.prompt.sizes.map((p) => {
        const stats = fromRuns(p.ms);
        const peer = fromRuns(p.peerMs);
        return { tokens: p.tokens, stats, peer, ratio: ratioOfMedians(peer, stats), same: p.same };
      }),
      incremental: {
        tokens: inc.tokens,
        full: fromRuns(inc.fullMs),
        words: fromRuns(inc.wordsMs),
        incremental: fromRuns(inc.incrementalMs),
        ratio: ratioOfMedians(fromRuns(inc.fullMs), fromRuns(inc.incrementalMs)),
        same: inc.same,
      },
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
