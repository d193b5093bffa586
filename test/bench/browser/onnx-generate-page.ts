/** window.onnxGenerate: ours (the engine's loop on OnnxRunner / the reference runner) and transformers.js, each in its own worker of this one page. */
import * as Comlink from "comlink";
import type { GenerateDevice, GenerateDtype } from "./onnx-generate.js";
import type { OursWorker } from "./onnx-ours.worker.js";
import type { PeerWorker } from "./onnx-peer.worker.js";

const ours = Comlink.wrap<OursWorker>(new Worker(new URL("./onnx-ours.worker.ts", import.meta.url), { type: "module" }));
const peer = Comlink.wrap<PeerWorker>(new Worker(new URL("./onnx-peer.worker.ts", import.meta.url), { type: "module" }));
const fixtures = new URL("/test/fixtures/onnx/", location.href).href;

/** `base`: the folder holding `modelId`'s folder (the test fixtures unless given, e.g. "/models/" for the real model). */
const onnxGenerate = {
  loadOurs: (
    modelId: string,
    device: GenerateDevice | "reference",
    dtype: GenerateDtype = "fp32",
    base = fixtures,
    warmUp = false,
  ) => ours.load(`${new URL(base, location.href).href}${modelId}/`, device, dtype, warmUp),
  loadPeer: (modelId: string, device: GenerateDevice, ortDistPath: string, dtype: GenerateDtype = "fp32", base = fixtures) =>
    peer.load(new URL(base, location.href).href, modelId, device, new URL(ortDistPath, location.href).href, dtype),
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
