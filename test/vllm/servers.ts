/**
 * The live vLLM servers the suite compares against (.ci/run starts them with scripts/vllm/serve.sh;
 * point the env vars at any other vLLM to run the suite against it), and the engine's matching
 * model records. Served names equal the engine's model ids, so `model` in answers compares too.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ModelRecord } from "../../src/index.js";

export interface Server {
  /** vLLM's base URL, without /v1. */
  url: string;
  apiKey: string;
  record: ModelRecord;
}

const cache = process.env.WGCE_CACHE ?? join(homedir(), ".cache/webgpu-chat-engine");
export const VLLM_VENV = process.env.VLLM_VENV ?? join(cache, "vllm-venv");
/** SmolLM2-135M-Instruct as a Hugging Face folder (built by the real-model scripts). */
export const REAL_MODEL_DIR = process.env.REAL_MODEL_DIR ?? join(cache, "smollm2/hf");
const apiKey = process.env.VLLM_API_KEY ?? "sk-vllm-test";

export const tinyServer: Server = {
  url: process.env.VLLM_TINY_URL ?? "http://127.0.0.1:7300",
  apiKey,
  // context_window: vLLM runs with --max-model-len 2048 (scripts/vllm/serve.sh); the parsers are
  // those it serves with (--tool-call-parser hermes --reasoning-parser qwen3).
  record: {
    model_id: "tiny-random-qwen3-hd32",
    model: "/models/tiny-random-qwen3-hd32/",
    runner: "reference",
    context_window: 2048,
    tool_parser: "hermes",
    reasoning_parser: "qwen3",
  },
};

export const realServer: Server = {
  url: process.env.VLLM_REAL_URL ?? "http://127.0.0.1:7301",
  apiKey,
  // Vite serves the cached folder through /@fs/ (test/vllm/vite.config.ts allows it).
  record: { model_id: "smollm2-135m-instruct", model: `/@fs${REAL_MODEL_DIR}/`, runner: "reference", context_window: 2048 },
};

/** Waits for GET /health; throws a line saying what is missing and how to start it. */
export async function waitReady(server: Server, timeoutMs = Number(process.env.VLLM_WAIT_S ?? 900) * 1000): Promise<void> {
  if (!existsSync(join(VLLM_VENV, ".ready")))
    throw new Error(`vLLM is not installed (no ${VLLM_VENV}/.ready): run scripts/vllm/install.sh`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${server.url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until)
      throw new Error(
        `vLLM for ${server.record.model_id} did not answer ${server.url}/health within ${timeoutMs / 1000} s: start it with scripts/vllm/serve.sh (see docs/vllm-compatibility.md)`,
      );
    await new Promise((r) => setTimeout(r, 2000));
  }
}
