import { createParser } from "eventsource-parser";

/**
 * The `data` of each server-sent event of `body`, as the bytes arrive (eventsource-parser does the
 * framing). `onBytes` runs on every read, so a caller's idle timer sees a stream that is alive.
 */
export async function* sseData(body: ReadableStream<Uint8Array>, onBytes: () => void): AsyncGenerator<string> {
  const ready: string[] = [];
  const parser = createParser({ onEvent: (e) => ready.push(e.data) });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onBytes();
      parser.feed(decoder.decode(value, { stream: true }));
      while (ready.length) yield ready.shift()!;
    }
    parser.feed(decoder.decode() + "\n\n");
    while (ready.length) yield ready.shift()!;
  } finally {
    // Stopping early (abort, a consumer that returns) closes the connection, so the server frees the request.
    // Not awaited: cancelling waits on a stalled peer.
    void reader.cancel().catch(() => {});
  }
}
