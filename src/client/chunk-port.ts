import type { ChatCompletionChunk } from "../protocol/response.js";
import type { ChatStream } from "./stream.js";

/**
 * The channel a stream's chunks come over (the worker's side: worker/chunk-sink.ts): a batch per
 * message into `stream`, each answered once the stream has room. `port` goes to the worker.
 */
export function chunkPort(stream: ChatStream): { port: MessagePort; close: () => void } {
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = (e: MessageEvent<ChatCompletionChunk[]>) => {
    const room = stream.push(e.data);
    if (room) void room.then(() => port1.postMessage(null));
    else port1.postMessage(null);
  };
  return { port: port2, close: () => port1.close() };
}
