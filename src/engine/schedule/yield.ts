/**
 * Let the event loop run (a macrotask turn), so a worker busy generating still handles incoming
 * messages such as cancel. A CPU runner resolves its promises without ever yielding otherwise.
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === "undefined") return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/**
 * Yields to the event loop once per `ms` of work at most: a token slower than that yields every
 * time (as before), while fast tokens (a small model on a CPU: well under a millisecond) share one
 * turn instead of each paying a MessageChannel round trip. A cancel waits `ms` more at most.
 */
export class Yielder {
  private last = -Infinity;

  constructor(private readonly ms: number) {}

  async maybe(): Promise<void> {
    if (performance.now() - this.last < this.ms) return;
    await yieldToEventLoop();
    this.last = performance.now();
  }
}
