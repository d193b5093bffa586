/**
 * The live vLLM servers the remote suite talks to: the shared tiny server .ci/run starts with
 * --api-key (VLLM_TINY_URL), and, for the kill / stall / restart tests, one this suite starts and
 * kills itself. A server that is missing fails the suite with a line saying how to start it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { RemoteRecord } from "../../src/index.js";

const cache = process.env.WGCE_CACHE ?? join(homedir(), ".cache/webgpu-chat-engine");
const venv = process.env.VLLM_VENV ?? join(cache, "vllm-venv");
export const API_KEY = process.env.VLLM_API_KEY ?? "sk-vllm-test";
/** The shared server's root (no /v1) and served name. */
export const TINY_URL = process.env.VLLM_TINY_URL ?? "http://127.0.0.1:7300";
export const SERVED = "tiny-random-qwen3-hd32";
/** The page-side id of the remote model: not the served name, so the mapping is exercised. */
export const REMOTE_ID = "remote-tiny";

export function remoteRecord(url = TINY_URL, extra: Partial<RemoteRecord> = {}): RemoteRecord {
  return { model_id: REMOTE_ID, runner: "remote", base_url: `${url}/v1`, api_key: API_KEY, model: SERVED, ...extra };
}

export async function waitReady(url: string, timeoutMs: number, proc?: ChildProcess): Promise<void> {
  if (!existsSync(join(venv, ".ready")))
    throw new Error(`vLLM is not installed (no ${venv}/.ready): run scripts/vllm/install.sh`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (proc && proc.exitCode !== null) throw new Error(`vLLM on ${url} exited (${proc.exitCode}) before it was ready`);
    if (Date.now() > until)
      throw new Error(`vLLM did not answer ${url}/health within ${timeoutMs / 1000} s: start it with scripts/vllm/serve.sh`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** vLLM's gauge of requests being generated now (its /metrics, Prometheus text). */
export async function runningRequests(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const lines = text.split("\n").filter((l) => l.startsWith("vllm:num_requests_running"));
  if (!lines.length) throw new Error(`${url}/metrics has no vllm:num_requests_running`);
  return lines.reduce((n, l) => n + Number(l.trim().split(/\s+/).pop()), 0);
}

/** Poll until `check` holds or `ms` pass; returns the last value. */
export async function pollUntil<T>(read: () => Promise<T>, check: (v: T) => boolean, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (check(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A vLLM of this suite's own (own process group), to stall, kill and restart. */
export class OwnServer {
  private proc: ChildProcess | undefined;
  readonly url: string;

  constructor(readonly port = Number(process.env.REMOTE_VLLM_PORT ?? 7710)) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const serve = process.env.VLLM_SERVE ?? "scripts/vllm/serve.sh";
    const model = process.env.REMOTE_VLLM_MODEL ?? `public/models/${SERVED}`;
    // Eager mode: no torch.compile warm-up, so the (re)starts this suite waits for take a minute, not several.
    const args = [
      "--model",
      model,
      "--port",
      String(this.port),
      "--name",
      SERVED,
      "--api-key",
      API_KEY,
      "--qwen3",
      "--",
      "--enforce-eager",
    ];
    this.proc = spawn(serve, args, { detached: true, stdio: "ignore" });
    await waitReady(this.url, Number(process.env.VLLM_WAIT_S ?? 900) * 1000, this.proc);
  }

  /** Signal the whole group (the API server and its engine core process). */
  signal(sig: NodeJS.Signals): void {
    if (this.proc?.pid) process.kill(-this.proc.pid, sig);
  }

  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    this.signal("SIGKILL");
    await exited;
  }
}
