/** min / median / max of repeated timings, in ms. */
export interface Stats {
  min: number;
  median: number;
  max: number;
  runs: number;
}

export function measure(runs: number, fn: () => void): Stats {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { min: t[0]!, median: t[Math.floor(t.length / 2)]!, max: t[t.length - 1]!, runs };
}

export const fmt = (s: Stats) => `${s.median.toFixed(3)} (${s.min.toFixed(3)}..${s.max.toFixed(3)})`;

/** Stats of timings already taken. */
export function fromRuns(values: number[]): Stats {
  const t = [...values].sort((a, b) => a - b);
  return { min: t[0]!, median: t[Math.floor(t.length / 2)]!, max: t[t.length - 1]!, runs: t.length };
}

/** How many times faster b is than a: median of a / median of b (a ratio of medians, not a median of per-pair ratios). */
export function ratioOfMedians(a: Stats, b: Stats): number {
  return a.median / b.median;
}
