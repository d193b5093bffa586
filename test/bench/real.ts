/**
 * npm run bench:real: only the real model's rows (SmolLM2-135M vs transformers.js), each on a page
 * without and with cross-origin isolation (one WASM thread / onnxruntime's threads, on both sides).
 * BENCH_REAL_ROWS=real_wasm_q4_vs_tjs,… picks rows; BENCH_ISOLATION=on|off|both (default both; the
 * WebGPU rows run isolated only, threads do not touch them); BENCH_WARMUP=on loads our runner
 * with its warm-up run (compare the "first run after load" column). Results go
 * to .bench/real.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { goto, openBenchPage } from "./page.js";
import { benchRealGenerate, realRatios, REAL_ROWS, type RealBench, type RealRow } from "./real-generate.js";
import { realTableRows } from "./real-table.js";

const all = Object.keys(REAL_ROWS) as RealRow[];
const picked = process.env.BENCH_REAL_ROWS ? (process.env.BENCH_REAL_ROWS.split(",") as RealRow[]) : all;
for (const r of picked) if (!all.includes(r)) throw new Error(`unknown row ${r}; rows: ${all.join(", ")}`);
const isolation = process.env.BENCH_ISOLATION ?? "both";
const modes = isolation === "both" ? [false, true] : [isolation === "on"];
const warmUp = process.env.BENCH_WARMUP === "on";

const tjs = (JSON.parse(readFileSync("node_modules/@huggingface/transformers/package.json", "utf8")) as { version: string })
  .version;
const results: Record<string, RealBench> = {};
const table: [string, string, string][] = [];
for (const isolated of modes) {
  const rows = isolated ? picked : picked.filter((r) => REAL_ROWS[r].device === "wasm");
  if (!rows.length) continue;
  const b = await openBenchPage(isolated);
  try {
    await goto(b, "test/bench/browser/onnx-generate.html");
    const threads = await b.page.evaluate(() => (self.crossOriginIsolated ? navigator.hardwareConcurrency : 1));
    const real = await benchRealGenerate(b.page, rows, warmUp);
    const name = isolated ? "isolated" : "not_isolated";
    results[name] = real;
    table.push(...realTableRows(real, tjs, isolated ? ` (isolated, ${threads} cores)` : " (not isolated, 1 thread)"));
    console.log(name, "ratios:", JSON.stringify(realRatios(real)));
  } finally {
    await b.close();
  }
}
const w0 = Math.max(...table.map((r) => r[0].length));
const w1 = Math.max(...table.map((r) => r[1].length));
for (const [a, b, c] of table) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
mkdirSync(".bench", { recursive: true });
writeFileSync(".bench/real.json", JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
