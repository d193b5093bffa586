/** window.onnx: the ONNX runner worker's calls for test/browser/onnx*.spec.ts, errors returned as data. */
import * as Comlink from "comlink";
import { ApiError, installApiErrorTransfer } from "../../../src/protocol/index.js";
import type { OnnxWorker, Step } from "./onnx.worker.js";
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

const onnx = {
  load: (url: string, dtype: OnnxDtype, device: OnnxDeviceChoice) => asData(() => worker.load(url, dtype, device)),
  /** Rows as plain arrays (so they cross page.evaluate). */
  run: async (steps: Step[]) => (await worker.run(steps)).map((r) => ({ position: r.position, logits: Array.from(r.logits) })),
  cachedTokens: () => worker.cachedTokens(),
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
