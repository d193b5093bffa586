/// <reference lib="webworker" />
/**
 * SharedWorker entry: one engine for every tab of the origin, a TabSession per connecting tab. Like
 * expose.ts it imports no code, so no chunk imports the entry (WebKit would run it again); tabs that
 * connect while the engine's code loads wait (a port queues its messages until it is served).
 */
export {}; // a module (it has no imports)
declare const self: SharedWorkerGlobalScope;

const waiting: MessagePort[] = [];
let serve: ((port: MessagePort) => void) | undefined;
self.addEventListener("connect", (e: MessageEvent) => {
  const port = e.ports[0];
  if (port) (serve ?? ((p: MessagePort) => waiting.push(p)))(port);
});
import("./shared-serve.js").then(
  ({ sharedEngine }) => {
    serve = sharedEngine();
    for (const port of waiting.splice(0)) serve(port);
  },
  (e: unknown) =>
    setTimeout(() => {
      throw e;
    }),
);
