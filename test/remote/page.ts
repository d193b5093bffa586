/** The page API with a remote model: createEngine with a remote record (and a fallback), engine.fetch with openai. */
import OpenAI from "openai";
import {
  createEngine,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatEngine,
  type FallbackEvent,
  type ModelSpec,
  type RemoteRecord,
} from "../../src/index.js";
import { errorInfo } from "../browser/support/error-info.js";

let engine: ChatEngine | undefined;
const events: FallbackEvent[] = [];
const current = () => {
  if (!engine) throw new Error("start an engine first");
  return engine;
};

const remote = {
  /** An engine with `models`; with `fallback`, requests the local model cannot serve go to it. */
  async start(
    models: ModelSpec[],
    opts: { fallback?: string; contextWindow?: number; noWebGpu?: boolean; gpuFaults?: boolean } = {},
  ) {
    await engine?.dispose();
    events.length = 0;
    try {
      engine = await createEngine({
        model: models,
        fallback: opts.fallback,
        contextWindow: opts.contextWindow,
        onFallback: (e) => events.push(e),
        worker: opts.noWebGpu
          ? () => new Worker(new URL("./no-webgpu.worker.ts", import.meta.url), { type: "module" })
          : opts.gpuFaults
            ? () => new Worker(new URL("../browser/support/onnx-faults.worker.ts", import.meta.url), { type: "module" })
            : undefined,
      });
      return { models: await engine.models.list(), events: [...events] };
    } catch (e) {
      return errorInfo(e);
    }
  },
  async create(body: ChatCompletionRequest) {
    try {
      return { answer: await current().chat.completions.create({ ...body, stream: false }), events: [...events] };
    } catch (e) {
      return errorInfo(e);
    }
  },
  /** The official openai client on engine.fetch, streaming; the chunks as they came. */
  async openaiStream(body: object) {
    const client = new OpenAI({
      apiKey: "unused-by-engine",
      baseURL: "http://engine.invalid/v1",
      fetch: current().fetch,
      dangerouslyAllowBrowser: true,
      maxRetries: 0,
    });
    try {
      const stream = await client.chat.completions.create({
        ...(body as { messages: [] }),
        model: (body as { model: string }).model,
        stream: true,
      });
      const chunks: unknown[] = [];
      for await (const c of stream) chunks.push(c);
      return { chunks, events: [...events] };
    } catch (e) {
      return errorInfo(e);
    }
  },
  /** engine.fetch called as an HTTP client would: the status, the Retry-After header and the body. */
  async fetchChat(body: object) {
    const res = await current().fetch("http://engine.invalid/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as unknown };
  },
  /** The openai client on engine.fetch with one retry (which waits as Retry-After says): the error it ends with. */
  async openaiRetry(body: object) {
    const client = new OpenAI({
      apiKey: "unused-by-engine",
      baseURL: "http://engine.invalid/v1",
      fetch: current().fetch,
      dangerouslyAllowBrowser: true,
      maxRetries: 1,
    });
    const e = await client.chat.completions
      .create({ ...(body as { messages: []; model: string }), stream: false })
      .catch((x: unknown) => x);
    const err = e as { status?: number; headers?: Headers };
    return { status: err.status, retryAfter: err.headers?.get("retry-after") ?? null };
  },
  /**
   * Stream `body`; once `loseAfter` chunks with text arrived, destroy the worker's GPU devices (onnx-faults.worker.ts)
   * before reading on. Every chunk, how the stream ended, and the fallback events.
   */
  async streamLosingDevice(body: ChatCompletionRequest, loseAfter: number) {
    const chunks: ChatCompletionChunk[] = [];
    const channel = new BroadcastChannel("onnx-gpu-faults");
    let lost: unknown = null;
    // Counted in chunks that carry text: a token holding part of a character comes with ids only.
    let withText = 0;
    try {
      for await (const c of await current().chat.completions.create({ ...body, stream: true })) {
        chunks.push(c);
        if (c.choices[0]?.delta.content) withText++;
        if (withText !== loseAfter || lost !== null) continue;
        lost = await new Promise((resolve) => {
          channel.onmessage = (e) => resolve(e.data);
          channel.postMessage("lose");
        });
      }
      return { chunks, end: null, lost, events: [...events] };
    } catch (e) {
      return { chunks, ...errorInfo(e), lost, events: [...events] };
    } finally {
      channel.close();
    }
  },
  record(base: string, extra: Partial<RemoteRecord> = {}): RemoteRecord {
    return { model_id: "remote-tiny", runner: "remote", base_url: `${base}/v1`, model: "tiny-random-qwen3-hd32", ...extra };
  },
};

declare global {
  interface Window {
    remote: typeof remote;
  }
}
window.remote = remote;
