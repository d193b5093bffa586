/** window.onnxGenerate: ours (the engine's loop on OnnxRunner / the reference runner) and transformers.js, each in its own worker of this one page. */
import * as Comlink from "comlink";
import type { GenerateDevice } from "./onnx-generate.js";
import type { OursWorker } from "./onnx-ours.worker.js";
import type { PeerWorker } from "./onnx-peer.worker.js";

const ours = Comlink.wrap<OursWorker>(new Worker(new URL("./onnx-ours.worker.ts", import.meta.url), { type: "module" }));
const peer = Comlink.wrap<PeerWorker>(new Worker(new URL("./onnx-peer.worker.ts", import.meta.url), { type: "module" }));
const models = new URL("/test/fixtures/onnx/", location.href).href;

const onnxGenerate = {
  loadOurs: (modelId: string, device: GenerateDevice | "reference") => ours.load(`${models}${modelId}/`, device),
  loadPeer: (modelId: string, device: GenerateDevice, ortDistPath: string) =>
    peer.load(models, modelId, device, new URL(ortDistPath, location.href).href),
  ours: (prompt: number[], newTokens: number) => ours.generate(prompt, newTokens),
  peer: (prompt: number[], newTokens: number) => peer.generate(prompt, newTokens),
};

declare global {
  interface Window {
    onnxGenerate: typeof onnxGenerate;
  }
}
window.onnxGenerate = onnxGenerate;
document.body.dataset.ready = "true";
