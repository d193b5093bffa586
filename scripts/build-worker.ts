/**
 * The engine worker, prebuilt with every dependency inside, so an app's bundler only copies it.
 * Lazy parts (dynamic import()) stay separate chunks and files referenced with
 * `new URL(file, import.meta.url)` (wasm) are emitted beside the worker under hashed names; both
 * are found relative to the worker's own URL, which every bundler keeps when it copies the folder.
 */
import { build } from "vite";

const ORT_WASM = /ort-wasm[^/]*\.wasm\?url&no-inline$/;
const noOrtWasm = {
  name: "no-ort-wasm",
  enforce: "pre" as const,
  resolveId: (id: string) => (ORT_WASM.test(id) ? "\0no-ort-wasm" : null),
  load: (id: string) => (id === "\0no-ort-wasm" ? "export default '';" : null),
};

/**
 * onnxruntime-web names its own file (`new URL("ort.webgpu.bundle.min.mjs", import.meta.url)`) on a
 * Node-only branch; webpack resolves every such URL it sees and fails on a file that is not there.
 * The chunk is that module, so its own URL is import.meta.url.
 */
const ortSelfUrl = {
  name: "ort-self-url",
  renderChunk: (code: string) => {
    const out = code.replace(
      /new (\w+)\(\s*([`"'])ort\.webgpu\.bundle\.min\.mjs\2\s*,\s*import\.meta\.url\s*\)/g,
      "new $1(import.meta.url)",
    );
    return out === code ? null : { code: out, map: null };
  },
};

/**
 * `inline`: one file with every lazy chunk and asset inside (assets as data: URLs), for the copy
 * that starts from a blob: URL, where there is no folder to find anything relative to.
 */
export async function buildWorker(root: string, outDir: string, inline = false): Promise<void> {
  await build({
    root,
    configFile: false,
    publicDir: false,
    logLevel: "warn",
    base: "./",
    // The inline copy cannot carry onnxruntime's 26 MB wasm (it would be a data: URL inside a
    // string): there the ONNX runner refuses with a 503 that says how to serve the worker folder.
    plugins: inline ? [noOrtWasm, ortSelfUrl] : [ortSelfUrl],
    build: {
      outDir,
      emptyOutDir: true,
      target: "es2022",
      minify: true,
      modulePreload: false,
      copyPublicDir: false,
      assetsDir: "",
      assetsInlineLimit: inline ? () => true : 0,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 16_384,
      rollupOptions: {
        // The UMD builds of web-tokenizers / web-xgrammar name Node's "url" and "module" in a branch
        // that never runs in a browser; Vite stubs them, which is what we want.
        onwarn(warning, warn) {
          if (/"(url|module)" has been externalized for browser compatibility/.test(warning.message)) return;
          warn(warning);
        },
        // expose.js: `exposeEngine` for a worker of the user's own (webgpu-chat-engine/worker), sharing
        // the engine chunk with the package's worker; shared-worker.js: the engine for all tabs
        // (createEngine({ shared: true })). The one-file inline copy has the worker only.
        input: inline
          ? { worker: "src/worker/worker.ts" }
          : { worker: "src/worker/worker.ts", expose: "src/worker/expose.ts", "shared-worker": "src/worker/shared-worker.ts" },
        preserveEntrySignatures: inline ? false : "exports-only",
        checks: { pluginTimings: false },
        output: {
          format: "es",
          codeSplitting: !inline,
          entryFileNames: "[name].js",
          chunkFileNames: "[name]-[hash].js",
          // No hash: a consumer's bundler hashes the assets it emits, and a second hash doubles the name.
          assetFileNames: "[name][extname]",
        },
      },
    },
  });
}
