/**
 * The package's own engine worker. Written as `new Worker(new URL(..., import.meta.url))` so Vite
 * and webpack bundle it from an app; the library build points the URL at the prebuilt
 * `./worker/worker.js` beside the built entry (scripts/build-lib.ts checks that it did).
 */
import { READY_MESSAGE } from "../worker/ready.js";

const NAME = "webgpu-chat-engine";

export function defaultWorker(): Worker {
  return new Worker(new URL("../worker/worker.ts", import.meta.url), { type: "module", name: NAME });
}

/**
 * The worker from its URL; when that does not load (esbuild copies no file a bundle refers to by
 * URL), the copy built into the page bundle, started from a blob: URL. Without such a copy the
 * failing worker is returned, and its start-up error reaches the caller as a 503.
 */
export async function startDefaultWorker(): Promise<Worker> {
  const worker = defaultWorker();
  if (await loads(worker)) return worker;
  worker.terminate();
  const { inlineWorkerSource } = await import("./inline-worker.js"); // lazy: a bundler that splits keeps it out of the page
  const source = await inlineWorkerSource();
  if (source === null) return defaultWorker();
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const inline = new Worker(url, { type: "module", name: NAME });
  void loads(inline).finally(() => URL.revokeObjectURL(url));
  return inline;
}

function loads(worker: Worker): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      resolve(ok);
    };
    const onMessage = (e: MessageEvent) => e.data === READY_MESSAGE && done(true);
    const onError = () => done(false);
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
  });
}
