/** The public page API under test: createEngine, its stream, engine.fetch with the official openai client. */
import OpenAI from "openai";
import { fuzz } from "./fuzz-harness.js";
import {
  createEngine,
  defaultWorker,
  type ChatCompletionChunk,
  type ChatEngine,
  type ChatCompletionRequest,
  type LoadProgress,
} from "../../../src/index.js";

const API_KEY = "sk-local-test";
let engine: ChatEngine | undefined;
const progress: LoadProgress[] = [];
let spawned = 0;

import { errorInfo, type ErrorInfo } from "./error-info.js";
import { whileLoading } from "./while-loading.js";

type Info = ErrorInfo & { ms?: number };
const streamReq = (b: unknown) => ({ ...(b as object), stream: true }) as ChatCompletionRequest & { stream: true };
const plainReq = (b: unknown) => ({ ...(b as object), stream: false }) as ChatCompletionRequest & { stream: false };
const tiny = () => {
  if (!engine) throw new Error("call client.start() first");
  return engine;
};
const openai = () =>
  new OpenAI({
    apiKey: API_KEY,
    baseURL: "http://engine.invalid/v1",
    fetch: tiny().fetch,
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
  });

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

let withProcessors: ChatEngine | undefined;

const client = {
  fuzz,
  whileLoading,
  /** A second engine whose worker (processors.worker.ts) registers logits processors. */
  processors: {
    async start() {
      withProcessors = await createEngine({
        model: "tiny-random-qwen3",
        worker: () => new Worker(new URL("./processors.worker.ts", import.meta.url), { type: "module" }),
      });
    },
    async create(body: unknown) {
      try {
        return await withProcessors!.chat.completions.create(plainReq(body));
      } catch (e) {
        return errorInfo(e);
      }
    },
  },
  async start() {
    engine = await createEngine({
      model: "tiny-random-qwen3",
      apiKey: API_KEY,
      onProgress: (p) => progress.push(p),
      worker: () => (spawned++, defaultWorker()),
    });
    return { stages: [...new Set(progress.map((p) => p.stage))], spawned, models: await engine.models.list() };
  },
  async create(body: unknown) {
    try {
      return await tiny().chat.completions.create(plainReq(body));
    } catch (e) {
      return errorInfo(e);
    }
  },
  async stream(body: unknown) {
    try {
      return await collect(await tiny().chat.completions.create(streamReq(body)));
    } catch (e) {
      return errorInfo(e);
    }
  },
  /** Through the official openai client with fetch: engine.fetch. */
  async viaOpenAI(body: Record<string, unknown>) {
    const c = openai();
    if (!body.stream) return c.chat.completions.create(body as never);
    const stream = await c.chat.completions.create(body as never);
    return collect(stream as unknown as AsyncIterable<ChatCompletionChunk>);
  },
  async openaiError(body: Record<string, unknown>, apiKey = API_KEY) {
    const c = new OpenAI({
      apiKey,
      baseURL: "http://engine.invalid/v1",
      fetch: tiny().fetch,
      dangerouslyAllowBrowser: true,
      maxRetries: 0,
    });
    try {
      await c.chat.completions.create(body as never);
      return null;
    } catch (e) {
      const err = e as InstanceType<typeof OpenAI.APIError>;
      return { name: err.constructor.name, status: err.status, type: err.type, param: err.param, code: err.code };
    }
  },
  async raw(path: string, init: RequestInit = {}) {
    const res = await tiny().fetch(path, { ...init, headers: { authorization: `Bearer ${API_KEY}`, ...init.headers } });
    return { status: res.status, contentType: res.headers.get("content-type"), text: await res.text() };
  },
  /** engine.fetch aborted mid-request and mid-stream: how each ends, and whether the next call is served. */
  async fetchAbort(body: Record<string, unknown>) {
    const headers = { authorization: `Bearer ${API_KEY}` };
    const post = (b: unknown, signal: AbortSignal) =>
      tiny().fetch("/v1/chat/completions", { method: "POST", headers, body: JSON.stringify(b), signal });
    const plain = new AbortController();
    setTimeout(() => plain.abort(), 100);
    const plainError = await post(body, plain.signal).then(
      () => "resolved",
      (e: unknown) => (e as Error).name,
    );
    const streaming = new AbortController();
    const res = await post({ ...body, stream: true }, streaming.signal);
    const reader = res.body!.getReader();
    await reader.read();
    streaming.abort();
    let streamError = "ended";
    try {
      while (!(await reader.read()).done);
    } catch (e) {
      streamError = (e as Error).name;
    }
    const next = await (await post({ ...body, max_tokens: 3 }, new AbortController().signal)).json();
    return { plainError, streamError, next: next.choices[0].finish_reason as string };
  },
  /** Abort `count` streams after `after` chunks each, then check a normal request. */
  async abortStorm(body: unknown, count: number, after: number) {
    const finishes: (string | null)[] = [];
    for (let i = 0; i < count; i++) {
      const stream = await tiny().chat.completions.create(streamReq(body));
      let n = 0;
      let finish: string | null = null;
      for await (const c of stream) {
        if (++n === after) stream.controller.abort();
        finish = c.choices[0]?.finish_reason ?? finish;
      }
      finishes.push(finish);
    }
    const signal = AbortSignal.timeout(1);
    const bySignal = await tiny().chat.completions.create(plainReq(body), { signal });
    const preAborted = await tiny().chat.completions.create(plainReq(body), { signal: AbortSignal.abort() });
    const preAbortedStream = await collect(
      await tiny().chat.completions.create(streamReq(body), { signal: AbortSignal.abort() }),
    );
    const after_ = await tiny().chat.completions.create(plainReq(body));
    return {
      finishes,
      bySignal: bySignal.choices[0]!.finish_reason,
      preAborted: [preAborted.choices[0]!.finish_reason, preAborted.usage.completion_tokens],
      preAbortedStream: preAbortedStream.flatMap((c) => c.choices.map((x) => x.finish_reason)).filter(Boolean),
      after: after_.choices[0]!.finish_reason,
      tokens: after_.usage.completion_tokens,
    };
  },
  /** A reader that stops with `break` frees the engine for the next request. */
  async breakEarly(body: unknown) {
    const stream = await tiny().chat.completions.create(streamReq(body));
    for await (const c of stream) if (c.choices[0]?.delta.content) break;
    return (await tiny().chat.completions.create(plainReq(body))).choices[0]!.finish_reason;
  },
  /** Read one chunk, sleep, and report how many chunks piled up meanwhile. */
  async slowReader(body: unknown, sleepMs: number) {
    const stream = await tiny().chat.completions.create(streamReq(body));
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    await new Promise((r) => setTimeout(r, sleepMs));
    const piled = stream.buffered;
    const rest: ChatCompletionChunk[] = [first.value as ChatCompletionChunk];
    for (let n = await it.next(); !n.done; n = await it.next()) rest.push(n.value);
    return { piled, content: rest.map((c) => c.choices[0]?.delta.content ?? "").join(""), chunks: rest.length };
  },
  /** Terminate the worker mid-stream: how the pending stream ends, how fast, and whether the engine recovers. */
  async terminateMidStream(body: unknown) {
    const e = tiny();
    const stream = await e.chat.completions.create(streamReq(body));
    let n = 0;
    let killedAt = 0;
    let caught: Info | null = null;
    try {
      for await (const chunk of stream) {
        if (chunk && ++n === 3) {
          (await e.worker()).terminate();
          killedAt = performance.now();
        }
      }
    } catch (err) {
      caught = { ...errorInfo(err), ms: performance.now() - killedAt };
    }
    const before = spawned;
    const next = await e.chat.completions.create(plainReq(body));
    return {
      caught,
      chunksBeforeDeath: n,
      respawned: spawned - before,
      next: next.choices[0]!.finish_reason,
      models: (await e.models.list()).data.map((m) => m.id),
    };
  },
  /** Longest gap between animation frames while the worker generates. */
  async frameGaps(body: unknown) {
    let last = performance.now();
    let longest = 0;
    let frames = 0;
    let running = true;
    const tick = (t: number) => {
      longest = Math.max(longest, t - last);
      last = t;
      frames++;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    const done = await tiny().chat.completions.create(plainReq(body));
    running = false;
    return { longest, frames, ms: performance.now() - t0, tokens: done.usage.completion_tokens };
  },
  /** An engine with small limits: what each bound answers, through create() and engine.fetch. */
  async limits() {
    const small = await createEngine({
      model: "tiny-random-qwen3",
      limits: { maxBodyBytes: 64 * 1024, maxMessages: 8, maxN: 2, maxQueue: 2, templateTimeoutMs: 300 },
    });
    const ask = (content: string, extra: object = {}) => ({ messages: [{ role: "user", content }], max_tokens: 3, ...extra });
    const tryCreate = (b: unknown) => small.chat.completions.create(plainReq(b)).then((r) => r.choices.length, errorInfo);
    const big = ask("x".repeat(100_000));
    const viaFetch = await small.fetch("/v1/chat/completions", { method: "POST", body: JSON.stringify(big) });
    const many = {
      messages: Array.from({ length: 9 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `m${i}` })),
      max_tokens: 3,
    };
    // One runs, two wait, the fourth finds the queue full.
    const crowd = await Promise.all([0, 1, 2, 3].map((i) => tryCreate(ask(`crowd ${i}`, { max_tokens: 20, ignore_eos: true }))));
    const result = {
      body: await tryCreate(big),
      fetch: { status: viaFetch.status, body: (await viaFetch.json()) as unknown },
      messages: await tryCreate(many),
      n: await tryCreate(ask("n", { n: 3 })),
      nOk: await tryCreate(ask("n", { n: 2 })),
      template: await tryCreate(
        ask("loop", { chat_template: "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}" }),
      ),
      crowd,
      limits: small.limits,
    };
    await small.dispose();
    return result;
  },
  /** createEngine with a model that cannot load here; how it fails and how long it took. */
  async failToLoad(model: unknown, modelBaseUrl?: string) {
    const t0 = performance.now();
    try {
      const e = await createEngine({ model: model as string, modelBaseUrl });
      await e.dispose();
      return null;
    } catch (e) {
      return { ...errorInfo(e), ms: performance.now() - t0 };
    }
  },
};

declare global {
  interface Window {
    client: typeof client;
  }
}
window.client = client;
document.body.dataset.ready = "true";
