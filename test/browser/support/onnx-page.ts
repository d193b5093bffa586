/** window.onnx: the ONNX runner worker's calls for test/browser/onnx*.spec.ts, errors returned as data. */
import * as Comlink from "comlink";
import { ApiError, installApiErrorTransfer } from "../../../src/protocol/index.js";
import type { OnnxWorker, Step } from "./onnx.worker.js";
import type { ChatCompletion, ChatCompletionChunk } from "../../../src/protocol/index.js";
import type { EngineHost } from "../../../src/worker/engine-host.js";
import type { ModelRecord } from "../../../src/runners/registry.js";
import type { LoadProgress } from "../../../src/runners/runner.js";
import type { OnnxDeviceChoice, OnnxDtype } from "../../../src/runners/onnx/index.js";

installApiErrorTransfer();
let worker = Comlink.wrap<OnnxWorker>(new Worker(new URL("./onnx.worker.ts", import.meta.url), { type: "module" }));

async function asData<T>(
  call: () => Promise<T>,
): Promise<T | { error: { status: number; type: string; code: string | null; param: string | null; message: string } }> {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { error: { status: e.status, type: e.type, code: e.code, param: e.param, message: e.message } };
  }
}

let host: Comlink.Remote<EngineHost> | undefined;

/** The engine worker (src/worker/worker.ts), as pages run it, on an ONNX model record. */
const engine = {
  async load(record: ModelRecord) {
    host ??= Comlink.wrap<EngineHost>(new Worker(new URL("../../../src/worker/worker.ts", import.meta.url), { type: "module" }));
    const progress: LoadProgress[] = [];
    const h = host;
    return asData(async () => ({
      loaded: await h.load(
        record,
        {},
        Comlink.proxy((p: LoadProgress) => void progress.push(p)),
      ),
      progress,
    }));
  },
  /** Drop the engine worker; the next load starts a new one (as a new page visit would). */
  restart() {
    host = undefined;
  },
  create: (body: unknown) => asData<ChatCompletion>(() => host!.create(body)),
  /** Collect a stream; abort it after `abortAfter` chunks when given. */
  stream: (body: unknown, abortAfter?: number) =>
    asData(async () => {
      const chunks: ChatCompletionChunk[] = [];
      const handle = crypto.randomUUID();
      await host!.stream(
        body,
        handle,
        Comlink.proxy((batch: ChatCompletionChunk[]) => {
          for (const c of batch) {
            chunks.push(c);
            if (abortAfter !== undefined && chunks.length === abortAfter) void host!.abort(handle);
          }
        }),
      );
      return chunks;
    }),
};

const onnx = {
  engine,
  load: (url: string, dtype: OnnxDtype, device: OnnxDeviceChoice) => asData(() => worker.load(url, dtype, device)),
  /** Rows as plain arrays (so they cross page.evaluate). */
  run: async (steps: Step[]) => (await worker.run(steps)).map((r) => ({ position: r.position, logits: Array.from(r.logits) })),
  cachedTokens: () => worker.cachedTokens(),
  timed: (prompt: number[], steps: number) => worker.timed(prompt, steps),
  /** A fresh worker (a new page load of the runner, e.g. after going offline). */
  restart() {
    worker = Comlink.wrap<OnnxWorker>(new Worker(new URL("./onnx.worker.ts", import.meta.url), { type: "module" }));
  },
};

declare global {
  interface Window {
    onnx: typeof onnx;
  }
}
window.onnx = onnx;
document.body.dataset.ready = "true";
