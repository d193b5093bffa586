import { createReadStream, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Connect, Plugin } from "vite";

/**
 * Serves the real model's GGUF from the shared cache (scripts/real-model/gguf.sh puts it there) at
 * /models/gguf/SmolLM2-135M-Instruct.Q4_1.gguf, without copying 98 MB into public/.
 */
const CACHE = process.env.WEBGPU_CHAT_ENGINE_CACHE ?? join(homedir(), ".cache", "webgpu-chat-engine");
const FILES: Record<string, string> = {
  "/models/gguf/SmolLM2-135M-Instruct.Q4_1.gguf": join(CACHE, "smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
};

const serve: Connect.NextHandleFunction = (req, res, next) => {
  const file = FILES[(req.url ?? "").split("?")[0]!];
  if (!file) return next();
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    res.statusCode = 404;
    return res.end("not there: run scripts/real-model/gguf.sh");
  }
  res.setHeader("Content-Length", String(size));
  res.setHeader("Content-Type", "application/octet-stream");
  if (req.method === "HEAD") return res.end();
  createReadStream(file).pipe(res);
};

/** Vite plugin: the route above on the dev server and on `vite preview`. */
export function ggufServer(): Plugin {
  return {
    name: "gguf-server",
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}
