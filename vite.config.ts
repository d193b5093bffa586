import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { realModelServer } from "./scripts/real-model/serve.js";
import { ggufServer } from "./scripts/gguf-fixtures/serve.js";
import { isolationOnCookie } from "./scripts/isolation-cookie.js";

export default defineConfig({
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 4173 },
  worker: { format: "es" },
  plugins: [
    // The real model (scripts/real-model/build.sh) at /models/SmolLM2-135M-Instruct-{onnx,hf}/ and /hub/,
    // served from its cache folder when built.
    realModelServer(),
    // The real model's GGUF at /models/gguf/, from the shared cache.
    ggufServer(),
    // Tests that set the cookie coi=1 get cross-origin-isolated pages (onnxruntime's WASM threads).
    isolationOnCookie(),
    // The app shell and the demo's default model (the 49 MB tiny model) are precached, so the app
    // loads and answers offline after one visit; web-llm models go to web-llm's own cache.
    VitePWA({
      registerType: "autoUpdate",
      injectRegister: false,
      manifest: {
        name: "In-page LLM engine",
        short_name: "Local LLM",
        description: "A chat.completions engine running in the page, offline",
        theme_color: "#1a73e8",
        background_color: "#ffffff",
        display: "standalone",
        icons: [
          { src: "icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "favicon.svg", sizes: "any", type: "image/svg+xml" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,svg,png,wasm}", "models/tiny-random-qwen3/*.{json,safetensors}"],
        // onnxruntime's 26 MB wasm is not precached: only pages that load an ONNX model fetch it (the ONNX
        // runner keeps it in its own Cache API bucket, so those work offline too).
        globIgnores: ["**/node_modules/**/*", "**/ort-wasm-*.wasm"],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
      },
    }),
  ],
  build: { target: "es2022", sourcemap: true },
  // UMD builds with embedded wasm need pre-bundling for their named exports; listing every
  // runtime dependency up front also stops Vite reloading a page mid-test when it finds one late.
  optimizeDeps: {
    include: [
      "@mlc-ai/web-tokenizers",
      "@mlc-ai/web-xgrammar",
      "@mlc-ai/web-llm",
      "comlink",
      "zod",
      "@huggingface/jinja",
      "@huggingface/tokenizers",
      "openai",
      "eventsource-parser",
    ],
    // The pages the dev server serves; test/consumers/ imports the packed package by name, which
    // only resolves inside its own install, so scanning it would fail the whole scan.
    entries: ["index.html", "test/**/*.html", "!test/consumers/**"],
    // onnxruntime-web is already an ES module bundle; pre-bundling would only copy its 100+ kB again.
    exclude: ["onnxruntime-web"],
  },
});
