/// <reference lib="webworker" />
/**
 * The engine worker (src/worker/worker.ts, unchanged) with GPU faults the test page triggers over a
 * BroadcastChannel, at the browser's WebGPU API (the boundary the engine does not own): every
 * GPUDevice made in this worker is recorded, "lose" destroys the live ones (a real device loss, as a
 * driver reset or a tab's GPU process crash causes), "noAdapter" makes the next adapter request fail.
 */
// Statically, so Comlink listens before the page's first message; the patches below run before any load.
import "../../../src/worker/worker.js";

export type GpuFault = "lose" | "noAdapter" | "count";
export interface GpuFaultReply {
  /** Devices made so far in this worker. */
  made: number;
  /** Devices destroyed by this message. */
  destroyed: number;
}

const devices: GPUDevice[] = [];
const live = new Set<GPUDevice>();
let failAdapter = false;

const requestDevice = GPUAdapter.prototype.requestDevice;
GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, ...args: Parameters<typeof requestDevice>) {
  const device = await requestDevice.apply(this, args);
  devices.push(device);
  live.add(device);
  void device.lost.then(() => live.delete(device));
  return device;
};

const requestAdapter = GPU.prototype.requestAdapter;
GPU.prototype.requestAdapter = function (this: GPU, ...args: Parameters<typeof requestAdapter>) {
  if (!failAdapter) return requestAdapter.apply(this, args);
  failAdapter = false;
  return Promise.resolve(null);
};

const channel = new BroadcastChannel("onnx-gpu-faults");
channel.onmessage = (e: MessageEvent<GpuFault>) => {
  let destroyed = 0;
  if (e.data === "lose") {
    for (const d of live) d.destroy();
    destroyed = live.size;
  }
  if (e.data === "noAdapter") failAdapter = true;
  channel.postMessage({ made: devices.length, destroyed } satisfies GpuFaultReply);
};
