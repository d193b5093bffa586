/** The real model's rows of the bench table (run.ts and real.ts print the same lines). */
import type { GenerateCompare } from "./onnx-generate.js";
import { REAL_ROWS, type RealBench, type RealRow } from "./real-generate.js";
import { fmt } from "./stats.js";

export function realTableRows(real: RealBench, tjsVersion: string, tag = ""): [string, string, string][] {
  const rows: [string, string, string][] = [];
  for (const [key, g] of Object.entries(real) as [RealRow, GenerateCompare][]) {
    const { label, kind } = REAL_ROWS[key];
    const [ours, peer, ratio] =
      kind === "decode"
        ? [g.ours.decodeMs, g.transformersJs.decodeMs, g.decodeRatio]
        : [g.ours.prefillMs, g.transformersJs.prefillMs, g.prefillRatio];
    const first = (s: "ours" | "transformersJs") => g.firstRun[s][kind === "decode" ? "decode" : "prefill"];
    rows.push(
      [
        `SmolLM2-135M ${label}${tag}, ours (engine loop)`,
        fmt(ours),
        `${kind === "decode" ? "ms/token (median gap)" : "ms to 1st token"}; first run after load ${first("ours").toFixed(1)}`,
      ],
      [
        `  same, transformers.js ${tjsVersion}`,
        fmt(peer),
        `ms; first run ${first("transformersJs").toFixed(1)}; ours ${ratio.toFixed(2)}x as fast${g.same ? ", same greedy tokens" : ", greedy tokens DIFFER"}`,
      ],
    );
  }
  return rows;
}
