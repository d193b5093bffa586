/**
 * The test pages built for production with the repository's vite.config.ts (`worker.format: "es"`,
 * as the demo and apps that set it build), served by `vite preview`: workers as bundled chunks, where
 * the dev server serves plain modules.
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
  await build({ logLevel: "warn", build: { outDir, emptyOutDir: true, sourcemap: false, rollupOptions: { input: PAGES } } });
  cpSync(ONNX_MODEL, join(outDir, ONNX_MODEL), { recursive: true });
  const server: PreviewServer = await preview({ logLevel: "warn", build: { outDir }, preview: { port, strictPort: true } });
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
