import type { InferenceSession } from "onnxruntime-web";
import type { ProgressCallback } from "../runner.js";
import { fetchBytes } from "../../models/fetch-file.js";
import type { OnnxDevice } from "./device.js";
import type { OnnxFolder } from "./folder.js";
import { requestGpuDevice } from "./gpu.js";
import type { Ort } from "./ort.js";

/** Thrown when the ONNX file cannot be opened by onnxruntime; names the file. */
export class OnnxModelError extends Error {
  override name = "OnnxModelError";
}

/** An open session and the WebGPU device it runs on (undefined on WASM). */
export interface Opened {
  session: InferenceSession;
  gpuDevice: GPUDevice | undefined;
}

export interface OpenOptions {
  onProgress?: ProgressCallback;
  /** WebGPU: the adapter to make the session's device from; WASM without it or gpuDevice. */
  adapter?: GPUAdapter;
  /** WebGPU: a device of ours to open the session on (a session reopened on a live device). */
  gpuDevice?: GPUDevice;
  device: OnnxDevice;
  /** Where it runs, for the progress text ("WebGPU (swiftshader)"). */
  label: string;
}

/**
 * Open the folder's graph in a session on a new WebGPU device of ours, or on WASM. Called again after
 * a device loss: the files are read again through `fetchFn` (the engine's answers from its store)
 * rather than kept, so a model is not held in memory twice.
 */
export async function openSession(ort: Ort, folder: OnnxFolder, fetchFn: typeof fetch, o: OpenOptions): Promise<Opened> {
  const { base } = folder;
  const graph = await fetchBytes(base + folder.graph, fetchFn, o.onProgress);
  const externalData = [];
  for (const path of folder.externalData)
    externalData.push({ path: path.split("/").pop()!, data: await fetchBytes(base + path, fetchFn, o.onProgress) });
  const made = !o.gpuDevice && o.adapter ? await requestGpuDevice(o.adapter) : undefined;
  const gpuDevice = o.gpuDevice ?? made;
  o.onProgress?.({ stage: "compile", file: folder.graph, loaded: 0, total: 1, text: `opening ${folder.graph} on ${o.label}` });
  try {
    const session = await ort.InferenceSession.create(graph, {
      executionProviders: [gpuDevice ? { name: "webgpu", device: gpuDevice } : "wasm"],
      preferredOutputLocation: gpuDevice ? "gpu-buffer" : "cpu",
      graphOptimizationLevel: "all",
      ...(externalData.length ? { externalData } : {}),
    });
    return { session, gpuDevice };
  } catch (e) {
    made?.destroy();
    throw new OnnxModelError(`onnxruntime could not open ${base + folder.graph} on ${o.device}: ${errorText(e)}`);
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
