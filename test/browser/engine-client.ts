/** Test-page side of the engine worker: load once, call create/stream, report ApiErrors as data. */
import * as Comlink from "comlink";
import { ApiError, type ChatCompletion, type ChatCompletionChunk } from "../../src/protocol/index.js";
import type { EngineHost } from "../../src/worker/engine-host.js";

export const TINY = "tiny-random-qwen3";
let host: Promise<Comlink.Remote<EngineHost>> | undefined;

export function engine(): Promise<Comlink.Remote<EngineHost>> {
  host ??= (async () => {
    const h = Comlink.wrap<EngineHost>(new Worker(new URL("../../src/worker/worker.ts", import.meta.url), { type: "module" }));
    await h.load({ model_id: TINY, model: "/models/tiny-random-qwen3/", runner: "reference" });
    return h;
  })();
  return host;
}

export type ErrorInfo = { error: { status: number; type: string; param: string | null; code: string | null; message: string } };
const asInfo = (e: unknown): ErrorInfo => {
  if (!(e instanceof ApiError)) throw e;
  return { error: { status: e.status, type: e.type, param: e.param, code: e.code, message: e.message } };
};

export async function create(body: unknown): Promise<ChatCompletion | ErrorInfo> {
  try {
    return await (await engine()).create(body);
  } catch (e) {
    return asInfo(e);
  }
}

/** Collect a stream; abort it after `abortAfter` chunks when given. */
export async function stream(body: unknown, abortAfter?: number): Promise<ChatCompletionChunk[] | ErrorInfo> {
  const h = await engine();
  const chunks: ChatCompletionChunk[] = [];
  const handle = crypto.randomUUID();
  try {
    await h.stream(
      body,
      handle,
      Comlink.proxy((c: ChatCompletionChunk) => {
        chunks.push(c);
        if (abortAfter !== undefined && chunks.length === abortAfter) void h.abort(handle);
      }),
    );
    return chunks;
  } catch (e) {
    return asInfo(e);
  }
}

/** Start several requests at once; resolves with their completions in finishing order. */
export async function race(bodies: unknown[]): Promise<string[]> {
  const h = await engine();
  const order: string[] = [];
  await Promise.all(bodies.map(async (b) => order.push((await h.create(b)).id)));
  return order;
}

export async function cancel(requestId: string): Promise<boolean> {
  return (await engine()).cancel(requestId);
}
