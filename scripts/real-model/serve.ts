import { createReadStream, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, normalize, sep } from "node:path";
import type { Connect, Plugin } from "vite";

/**
 * Serves the real model built by scripts/real-model/build.sh from its cache folder, without copying
 * 1 GB into public/ (which `vite build` would copy again into dist/):
 *   /models/SmolLM2-135M-Instruct-onnx/…  → <cache>/smollm2/onnx/… (transformers.js folder)
 *   /models/SmolLM2-135M-Instruct-hf/…    → <cache>/smollm2/hf/…   (safetensors, reference runner)
 *   /hub/HuggingFaceTB/SmolLM2-135M-Instruct/resolve/<rev>/… → the onnx folder, in the Hub's URL layout
 *     (what the catalog loader fetches from https://huggingface.co/; tests point hubUrl here).
 * A folder that is not built (no .ready marker) answers 404, as a missing folder would.
 */
export const REAL_MODEL_CACHE = join(
  process.env.WEBGPU_CHAT_ENGINE_CACHE ?? join(homedir(), ".cache", "webgpu-chat-engine"),
  "smollm2",
);

const ROUTES: [prefix: RegExp, folder: string][] = [
  [/^\/models\/SmolLM2-135M-Instruct-onnx\//, "onnx"],
  [/^\/models\/SmolLM2-135M-Instruct-hf\//, "hf"],
  [/^\/hub\/HuggingFaceTB\/SmolLM2-135M-Instruct\/resolve\/[^/]+\//, "onnx"],
];

/** The file a request path names inside a built cache folder, or undefined (not ours, not built, or outside it). */
export function realModelFile(path: string, cache = REAL_MODEL_CACHE): string | undefined {
  for (const [prefix, folder] of ROUTES) {
    const m = prefix.exec(path);
    if (!m) continue;
    const root = join(cache, folder);
    const file = normalize(join(root, decodeURIComponent(path.slice(m[0].length))));
    return file.startsWith(root + sep) && fileSize(join(root, ".ready")) !== undefined ? file : undefined;
  }
  return undefined;
}

const serve: Connect.NextHandleFunction = (req, res, next) => {
  const path = (req.url ?? "").split("?")[0]!;
  if (!ROUTES.some(([prefix]) => prefix.test(path))) return next();
  const file = realModelFile(path);
  const size = file === undefined ? undefined : fileSize(file);
  if (file === undefined || size === undefined) {
    res.statusCode = 404;
    return res.end("not built: run scripts/real-model/build.sh");
  }
  res.setHeader("Content-Length", String(size));
  res.setHeader("Content-Type", file.endsWith(".json") ? "application/json" : "application/octet-stream");
  res.setHeader("Access-Control-Allow-Origin", "*");
  if (req.method === "HEAD") return res.end();
  createReadStream(file).pipe(res);
};

function fileSize(file: string): number | undefined {
  try {
    const s = statSync(file);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** Vite plugin: the routes above on the dev server and on `vite preview`. */
export function realModelServer(): Plugin {
  return {
    name: "real-model-server",
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}
