/**
 * The test pages built for production as an app with `worker.format: "es"` builds them (the demo's
 * vite.config.ts sets it; its PWA plugin is left out, it only costs a minute here), served by
 * `vite preview`: workers as bundled chunks, where the dev server serves plain modules.
 */
import { cpSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, preview, type PreviewServer } from "vite";

const PAGES = { onnx: "test/browser/support/onnx.html", shared: "test/browser/support/shared.html" };
const ONNX_MODEL = "test/fixtures/onnx/tiny-random-qwen3";

export async function serveBuiltPages(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const outDir = join(tmpdir(), `wce-built-pages-${port}`);
  rmSync(outDir, { recursive: true, force: true });
  await build({
    configFile: false,
    logLevel: "warn",
    worker: { format: "es" },
    build: { outDir, emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 16_384, rollupOptions: { input: PAGES } },
  });
  cpSync(ONNX_MODEL, join(outDir, ONNX_MODEL), { recursive: true });
  const server: PreviewServer = await preview({
    configFile: false,
    logLevel: "warn",
    build: { outDir },
    preview: { port, strictPort: true },
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
