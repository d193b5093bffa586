/** One tab's side of the shared-engine tests: createEngine({ shared: true }) and the page API on it. */
import {
  ApiError,
  createEngine,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatEngine,
  type ChatStream,
  type LoadProgress,
} from "../../../src/index.js";

let engine: ChatEngine | undefined;
let starting: Promise<ChatEngine> | undefined;
const progress: LoadProgress[] = [];
/** Chunks read so far by the stream `hold` keeps open. */
let heldChunks = 0;
let held: Promise<unknown> | undefined;
let resume: () => void = () => {};
const queuedLater: Promise<{ label: string; at: number }>[] = [];

type Info = { error: { status: number; type: string; param: string | null; code: string | null; message: string } };
const info = (e: unknown): Info => {
  if (!(e instanceof ApiError)) throw e;
  return { error: { status: e.status, type: e.type, param: e.param, code: e.code, message: e.message } };
};
const tab = () => {
  if (!engine) throw new Error("call shared.start() first");
  return engine;
};
const streamReq = (b: unknown) => ({ ...(b as object), stream: true }) as ChatCompletionRequest & { stream: true };
const plainReq = (b: unknown) => ({ ...(b as object), stream: false }) as ChatCompletionRequest & { stream: false };
const text = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");

async function collect(stream: ChatStream) {
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of stream) chunks.push(c);
  return {
    text: text(chunks),
    ids: [...new Set(chunks.map((c) => c.id))],
    finish: chunks.at(-1)?.choices[0]?.finish_reason ?? null,
  };
}

const shared = {
  /** Begin createEngine({ shared: true }) with the tiny model; `ready()` waits for it. */
  begin() {
    starting = createEngine({ model: "tiny-random-qwen3", shared: true, onProgress: (p) => progress.push(p) });
    starting.then((e) => (engine = e)).catch(() => {});
  },
  async ready() {
    const e = await starting!;
    return {
      mode: e.mode,
      stages: [...new Set(progress.map((p) => p.stage))],
      downloadEvents: progress.filter((p) => p.stage === "download").length,
      status: await e.sharedStatus(),
    };
  },
  status: () => tab().sharedStatus(),
  async create(body: unknown) {
    try {
      const r = await tab().chat.completions.create(plainReq(body));
      return { id: r.id, text: r.choices[0]!.message.content, finish: r.choices[0]!.finish_reason, usage: r.usage };
    } catch (e) {
      return info(e);
    }
  },
  async stream(body: unknown) {
    try {
      return await collect(await tab().chat.completions.create(streamReq(body)));
    } catch (e) {
      return info(e);
    }
  },
  /** Several requests at once from this tab; each result in order. */
  all(bodies: unknown[]) {
    return Promise.all(bodies.map((b) => ((b as { stream?: boolean }).stream ? shared.stream(b) : shared.create(b))));
  },
  /** Open a stream, read `count` chunks, then stop reading (the worker waits on this tab) until `resumeHeld()`. */
  async hold(body: unknown, count: number) {
    heldChunks = 0;
    const stream = await tab().chat.completions.create(streamReq(body));
    const it = stream[Symbol.asyncIterator]();
    let reachedCount!: () => void;
    const reached = new Promise<void>((r) => (reachedCount = r));
    held = (async () => {
      for (let n = await it.next(); !n.done; n = await it.next()) {
        if (++heldChunks === count) {
          reachedCount();
          await new Promise<void>((r) => (resume = r));
        }
      }
      reachedCount();
      return { chunks: heldChunks };
    })().catch((e: unknown) => {
      reachedCount();
      return info(e);
    });
    await reached;
    return heldChunks;
  },
  /** Send a request without waiting; `laterResults()` gives when each finished (Date.now(), comparable across tabs). */
  later(label: string, body: unknown) {
    queuedLater.push(shared.create(body).then(() => ({ label, at: Date.now() })));
  },
  laterResults: () => Promise.all(queuedLater),
  heldResult: () => held,
  resumeHeld: () => resume(),
  /** Start a stream and report once it ends (however it ends): the test closes tabs or kills the worker meanwhile. */
  startStream(body: unknown) {
    held = shared.stream(body);
  },
  async fetchChat(body: unknown) {
    const res = await tab().fetch("/v1/chat/completions", { method: "POST", body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as unknown };
  },
  async models() {
    return (await tab().models.list()).data.map((m) => m.id);
  },
  load: (id: string) => tab().load(id),
  unload: (id: string) => tab().unload(id),
  /** Abort a stream after `after` chunks with its controller, and a plain request by signal before it starts. */
  async abort(body: unknown, after: number) {
    const stream = await tab().chat.completions.create(streamReq(body));
    let n = 0;
    let finish: string | null = null;
    for await (const c of stream) {
      if (++n === after) stream.controller.abort();
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    const pre = await tab().chat.completions.create(plainReq(body), { signal: AbortSignal.abort() });
    return { chunks: n, finish, preAborted: [pre.choices[0]!.finish_reason, pre.usage.completion_tokens] };
  },
  dispose: () => tab().dispose(),
};

declare global {
  interface Window {
    shared: typeof shared;
  }
}
window.shared = shared;
document.body.dataset.ready = "true";
