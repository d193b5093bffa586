/**
 * Let the event loop run (a macrotask turn), so a worker busy generating still handles incoming
 * messages such as cancel. A CPU runner resolves its promises without ever yielding otherwise.
 */
export function yieldToEventLoop(): Promise<void> {
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
