/**
 * test/bench/browser/kernels-page.ts in headless Chromium behind a Vite dev server: the reference
 * runner's SIMD kernels against its scalar paths, one thread: the Q4_1 GGUF (BENCH_FP32=1: and the
 * fp32 safetensors folder). Standalone: `npx tsx test/bench/kernels-browser.ts`.
 */
import { pathToFileURL } from "node:url";
import { chromium } from "@playwright/test";
import { createServer } from "vite";
import { chromiumLaunchOptions } from "../browser/support/chromium.js";

/** `fp32`: also the safetensors folder (its two copies crashed the tab on a 24 GiB machine). */
export async function benchKernelsBrowser(
  runs = 3,
  fp32 = process.env.BENCH_FP32 === "1",
): Promise<Record<string, Record<string, Record<string, number[]>>>> {
  const port = Number(process.env.BENCH_PORT ?? 0);
  const server = await createServer({ logLevel: "error", server: { port, strictPort: port !== 0, host: "127.0.0.1" } });
  await server.listen();
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.goto(server.resolvedUrls!.local[0]! + "test/bench/browser/kernels.html");
    await page.locator("body[data-ready=true]").waitFor({ state: "attached", timeout: 120_000 });
    return await page.evaluate(([n, f]) => window.kernelsBench(n, f), [runs, fp32] as const);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  for (const [model, r] of Object.entries(await benchKernelsBrowser())) {
    for (const k of ["prefill", "decode"]) {
      const simd = median(r.simd![k]!);
      const scalar = median(r.scalar![k]!);
      console.log(
        `Chromium ${model} ${k}: SIMD ${simd.toFixed(2)} tok/s, scalar ${scalar.toFixed(2)} tok/s, ${(simd / scalar).toFixed(2)}×`,
      );
    }
  }
}
