import type { ChatCompletionChunk } from "../protocol/index.js";
import { release } from "./comlink-calls.js";

/**
 * Where a stream's chunks go: a MessagePort from the page (one message per batch, one empty
 * answer per batch once the page has room), or a callback (a Comlink proxy, a round trip per call;
 * what test harnesses and older pages pass). The port skips Comlink's call wrapping on both sides:
 * about a fifth less time per chunk (npm run bench, transport).
 */
export type ChunkSink = MessagePort | ((batch: ChatCompletionChunk[]) => unknown);

/** `sink` as a send function whose result settles when the page has room, and how to let it go. */
export function openSink(sink: ChunkSink): { send: (batch: ChatCompletionChunk[]) => unknown; close: () => void } {
  if (typeof sink === "function") return { send: sink, close: () => release(sink) };
  const answers: (() => void)[] = [];
  sink.onmessage = () => answers.shift()?.();
  return {
    send: (batch) => {
      sink.postMessage(batch);
      return new Promise<void>((resolve) => answers.push(resolve));
    },
    close: () => sink.close(),
  };
}
