/** A Vite dev server and headless Chromium page for the ONNX benches, cross-origin isolated or not. */
import { chromium, type Page } from "@playwright/test";
import { createServer } from "vite";
import { chromiumLaunchOptions } from "../browser/support/chromium.js";

export interface BenchPage {
  page: Page;
  /** The server's origin with a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * `isolated`: COOP same-origin + COEP require-corp, so workers get SharedArrayBuffer (onnxruntime's
 * WASM threads, on both sides) and performance.now() ticks in µs rather than 0.1 ms.
 */
export async function openBenchPage(isolated: boolean): Promise<BenchPage> {
  const server = await createServer({
    logLevel: "error",
    server: {
      port: 0,
      host: "127.0.0.1",
      headers: isolated ? { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" } : {},
    },
    // Scan only these pages (the default scan trips over test/consumers/), and pre-bundle transformers.js
    // up front so Vite does not reload the page when the peer worker first imports it.
    optimizeDeps: {
      entries: ["test/browser/support/onnx.html", "test/bench/browser/onnx-generate.html"],
      include: ["@huggingface/transformers"],
    },
  });
  await server.listen();
  const url = server.resolvedUrls!.local[0]!;
  const browser = await chromium.launch(chromiumLaunchOptions());
  const page = await browser.newPage();
  return {
    page,
    url,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Go to `path` on the bench server and wait for its harness. */
export async function goto(b: BenchPage, path: string): Promise<void> {
  await b.page.goto(b.url + path, { timeout: 300_000 }); // a cold Vite transform on a busy machine
  await b.page.locator("body[data-ready=true]").waitFor({ state: "attached", timeout: 300_000 });
}
