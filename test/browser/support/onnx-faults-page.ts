/** window.onnxFaults: the engine worker of onnx-faults.worker.ts on an ONNX model, with GPU faults on cue. */
import * as Comlink from "comlink";
import { installApiErrorTransfer, type ChatCompletion, type ChatCompletionChunk } from "../../../src/protocol/index.js";
import type { ModelRecord } from "../../../src/runners/registry.js";
import type { EngineHost } from "../../../src/worker/engine-host.js";
import { errorInfo, type ErrorInfo } from "./error-info.js";
import type { GpuFault, GpuFaultReply } from "./onnx-faults.worker.js";

installApiErrorTransfer();
const host = Comlink.wrap<EngineHost>(new Worker(new URL("./onnx-faults.worker.ts", import.meta.url), { type: "module" }));
const channel = new BroadcastChannel("onnx-gpu-faults");

function fault(f: GpuFault): Promise<GpuFaultReply> {
  return new Promise((resolve) => {
    channel.onmessage = (e: MessageEvent<GpuFaultReply>) => resolve(e.data);
    channel.postMessage(f);
  });
}

const settle = async <T>(p: Promise<T>): Promise<T | ErrorInfo> => p.catch(errorInfo);

const onnxFaults = {
  fault,
  load: (record: ModelRecord) => settle(host.load(record)),
  create: (body: unknown) => settle<ChatCompletion>(host.create(body)),
  /** Stream `body`; once `loseAfter` chunks arrived, destroy the GPU device. What arrived, and how it ended. */
  async streamLosingDevice(body: unknown, loseAfter: number) {
    const chunks: ChatCompletionChunk[] = [];
    let lost: Promise<GpuFaultReply> | undefined;
    const end = await settle(
      host.stream(
        body,
        crypto.randomUUID(),
        Comlink.proxy((batch: ChatCompletionChunk[]) => {
          chunks.push(...batch);
          // Held until the device is gone, so the loss lands while this request is still generating.
          if (chunks.length >= loseAfter && !lost) return (lost = fault("lose"));
        }),
      ),
    );
    return { chunks, end: end ?? null, lost: (await lost) ?? null };
  },
};

declare global {
  interface Window {
    onnxFaults: typeof onnxFaults;
  }
}
window.onnxFaults = onnxFaults;
document.body.dataset.ready = "true";
