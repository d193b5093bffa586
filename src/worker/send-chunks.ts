/** Chunks sent to the page and not yet taken before the worker waits for the oldest. */
export const SEND_WINDOW = 8;

/**
 * Send each chunk through `send` (a Comlink callback: a round trip per call) with up to
 * SEND_WINDOW calls in flight, so the stream is not paced by one round trip per chunk, yet a page
 * that stops taking chunks stops the worker after at most SEND_WINDOW more. Calls on one port
 * arrive in order, so the page sees the chunks in order.
 */
export async function sendChunks<T>(source: AsyncIterable<T>, send: (chunk: T) => unknown): Promise<void> {
  const inFlight: Promise<unknown>[] = [];
  for await (const chunk of source) {
    const sent = Promise.resolve(send(chunk));
    sent.catch(() => {}); // awaited below; this only keeps a later failure from going unhandled
    inFlight.push(sent);
    if (inFlight.length >= SEND_WINDOW) await inFlight.shift();
  }
  await Promise.all(inFlight);
}
