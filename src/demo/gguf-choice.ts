/** The picker's GGUF entry: SmolLM2-135M-Instruct Q4_1, one GGUF file on the reference (CPU) runner. */
import { CATALOG } from "../index.js";
import type { ModelChoice } from "./models.js";

const GGUF = CATALOG.find((e) => e.file?.endsWith(".gguf"))!;

/** Where the file loads from: this app's /models/<localFolder>/ when served, else the Hub when it answers, else null. */
async function ggufUrl(): Promise<string | null> {
  const urls = [
    new URL(`/models/${GGUF.localFolder}/${GGUF.file}`, location.href).href,
    `https://huggingface.co/${GGUF.repo}/resolve/${GGUF.revision}/${GGUF.file}`,
  ];
  for (const url of urls) {
    const ok = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(3000) }).then(
      // Vite and other single-page-app hosts answer a missing file with index.html.
      (r) => r.ok && !(r.headers.get("content-type") ?? "").includes("text/html"),
      () => false,
    );
    if (ok) return url;
  }
  return null;
}

/** The choice, or null when neither place serves the file. */
export async function ggufChoice(): Promise<ModelChoice | null> {
  const url = await ggufUrl();
  if (!url) return null;
  return {
    id: GGUF.id,
    spec: { model_id: GGUF.id, model: url, runner: "reference" },
    label: `${GGUF.id} (real model, GGUF on the CPU, ${GGUF.downloadMB} MB)`,
    group: "Real models, GGUF · CPU",
    unavailable: null,
    note: `SmolLM2-135M-Instruct, 4-bit (Q4_1) in one GGUF file, read directly by the exact reference runner on the CPU (WebAssembly, one thread): slower than ONNX, no GPU needed. Served by this app when present (scripts/real-model/gguf.sh), else downloaded from Hugging Face (${GGUF.repo}) once and kept in this browser.`,
  };
}
