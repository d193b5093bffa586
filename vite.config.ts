import { defineConfig } from "vite";

export default defineConfig({
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 4173 },
  worker: { format: "es" },
  build: { target: "es2022", sourcemap: true },
  // UMD builds with embedded wasm need pre-bundling for their named exports; listing every
  // runtime dependency up front also stops Vite reloading a page mid-test when it finds one late.
  optimizeDeps: { include: ["@mlc-ai/web-tokenizers", "@mlc-ai/web-xgrammar", "@mlc-ai/web-llm", "comlink", "zod", "@huggingface/jinja", "@huggingface/tokenizers", "openai"] },
});
