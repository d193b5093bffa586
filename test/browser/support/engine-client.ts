/** Test-page side of the engine worker: load once, call create/stream, report ApiErrors as data. */
import * as Comlink from "comlink";
import { ApiError, type ChatCompletion, type ChatCompletionChunk } from "../../../src/protocol/index.js";
import type { EngineHost } from "../../../src/worker/engine-host.js";
import { errorInfo, type ErrorInfo } from "./error-info.js";

export const TINY = "tiny-random-qwen3";
let host: Promise<Comlink.Remote<EngineHost>> | undefined;

export function engine(): Promise<Comlink.Remote<EngineHost>> {
  host ??= (async () => {
    const h = Comlink.wrap<EngineHost>(new Worker(new URL("../../../src/worker/worker.ts", import.meta.url), { type: "module" }));
    await h.load({ model_id: TINY, model: "/models/tiny-random-qwen3/", runner: "reference" });
    return h;
  })();
  return host;
}

export async function create(body: unknown): Promise<ChatCompletion | ErrorInfo> {
  try {
    return await (await engine()).create(body);
  } catch (e) {
    return errorInfo(e);
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
      Comlink.proxy((batch: ChatCompletionChunk[]) => {
        for (const c of batch) {
          chunks.push(c);
          if (abortAfter !== undefined && chunks.length === abortAfter) void h.abort(handle);
        }
      }),
    );
    return chunks;
  } catch (e) {
    return errorInfo(e);
  }
}

/** Start several requests at once; resolves with their completions in finishing order. */
export async function race(bodies: unknown[]): Promise<string[]> {
  const h = await engine();
  const order: string[] = [];
  await Promise.all(bodies.map(async (b) => order.push((await h.create(b)).id.replace(/^chatcmpl-/, ""))));
  return order;
}

export async function cancel(requestId: string): Promise<boolean> {
  return (await engine()).cancel(requestId);
}

/**
 * Abort storm: `rounds` rounds of `concurrent` streams started at once, each aborted after a seeded
 * random number of chunks (1-12 of its 12: a late abort finds it finished). Returns how each ended
 * and the queue after.
 */
export async function abortStorm(rounds: number, concurrent: number, seed: number) {
  const h = await engine();
  let state = seed >>> 0;
  const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state / 2 ** 32);
  const ends: Record<string, number> = {};
  let aborts = 0;
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      Array.from({ length: concurrent }, async (_, i) => {
        const handle = crypto.randomUUID();
        const at = 1 + Math.floor(rand() * 12);
        aborts++;
        let n = 0;
        let finish: string | null = null;
        try {
          await h.stream(
            {
              messages: [{ role: "user", content: `storm ${r}.${i}` }],
              max_tokens: 10,
              ignore_eos: true,
              stream: true,
              priority: i % 3,
            },
            handle,
            Comlink.proxy((batch: ChatCompletionChunk[]) => {
              for (const c of batch) {
                finish = c.choices[0]?.finish_reason ?? finish;
                if (++n === at) void h.abort(handle);
              }
            }),
          );
          ends[finish ?? "none"] = (ends[finish ?? "none"] ?? 0) + 1;
        } catch (e) {
          const key = e instanceof ApiError ? `error ${e.code}` : `threw ${String(e)}`;
          ends[key] = (ends[key] ?? 0) + 1;
        }
      }),
    );
  }
  return { ends, aborts, queued: await h.queued() };
}

/**
 * Load: one long request holds the engine while `count` small ones with mixed priorities queue
 * behind it. Returns the order they finished in (by request_id), the queue at its peak and after.
 */
export async function queueLoad(count: number) {
  const h = await engine();
  const order: string[] = [];
  const ask = (content: string, extra: object) => ({ messages: [{ role: "user", content }], ...extra });
  const blocker = h.create(ask("hold the engine", { max_tokens: 120, ignore_eos: true }));
  const sent = Array.from({ length: count }, (_, i) => ({ id: `load-${i}`, priority: ((i * 7) % 5) - 2 }));
  const done = sent.map(async (r) => {
    const c = await h.create(ask(`small ${r.id}`, { max_tokens: 1, request_id: r.id, priority: r.priority }));
    order.push(c.id.replace(/^chatcmpl-/, ""));
  });
  const peak = await h.queued();
  await Promise.all([blocker, ...done]);
  return { sent, order, peak, after: await h.queued() };
}
