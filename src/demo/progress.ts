/** Load progress as a person reads it: bytes over all files, speed and time left. */
import type { LoadProgress } from "../index.js";

export const mb = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`);

function duration(s: number): string {
  if (s < 1) return "under a second";
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export class DownloadMeter {
  private readonly files = new Map<string, { loaded: number; total: number }>();
  private readonly start = performance.now();

  /** `stored`: the files come from the browser's storage, not the network. */
  constructor(private readonly stored = false) {}

  /** Record a progress report; returns the line to show and the fraction done (or null when unknown). */
  update(p: LoadProgress): { text: string; fraction: number | null } {
    if (p.stage !== "download") {
      const pct = p.total ? ` ${Math.round((100 * p.loaded) / p.total)}%` : "";
      return {
        text: `${p.stage === "parse" ? "Reading weights" : p.stage === "compile" ? "Compiling" : "Ready"}${pct}: ${p.text}`,
        fraction: p.total ? p.loaded / p.total : null,
      };
    }
    this.files.set(p.file || p.text, { loaded: p.loaded, total: p.total });
    let loaded = 0;
    let total = 0;
    for (const f of this.files.values()) {
      loaded += f.loaded;
      total += f.total;
    }
    const seconds = (performance.now() - this.start) / 1000;
    const rate = seconds > 0.2 ? loaded / seconds : 0;
    const parts = [total ? `${mb(loaded)} of ${mb(total)}` : mb(loaded)];
    if (rate) parts.push(`${mb(rate)}/s`);
    if (rate && total > loaded) parts.push(`about ${duration((total - loaded) / rate)} left`);
    return {
      text: `${this.stored ? "Reading from storage" : "Downloading"}: ${parts.join(" · ")}`,
      fraction: total ? loaded / total : null,
    };
  }
}
