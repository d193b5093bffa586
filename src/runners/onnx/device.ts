import { ApiError } from "../../protocol/index.js";
import { F16_DTYPES, type OnnxDtype } from "./folder.js";

export type OnnxDevice = "webgpu" | "wasm";
export type OnnxDeviceChoice = OnnxDevice | "auto";

export interface DevicePick {
  device: OnnxDevice;
  /** The adapter WebGPU runs on (onnxruntime is given this one, the one that was checked). */
  adapter?: GPUAdapter;
  /** Why this device: shown in the load progress so a page can say what it runs on. */
  reason: string;
}

/**
 * Where an ONNX model runs, decided before any download. "webgpu" refuses (503, naming the reason)
 * when there is no adapter or it lacks `shader-f16` for an f16 dtype; "auto" then falls back to
 * WebAssembly on the CPU and says why.
 */
export async function pickDevice(
  choice: OnnxDeviceChoice,
  dtype: OnnxDtype,
  modelId: string,
  gpu: GPU | undefined,
): Promise<DevicePick> {
  if (choice === "wasm") return { device: "wasm", reason: "device: wasm was asked for" };
  const problem = await webGpuProblem(dtype, gpu);
  if (!problem.adapter) {
    if (choice === "auto") return { device: "wasm", reason: `WebAssembly on the CPU: ${problem.reason}` };
    throw new ApiError({
      type: "service_unavailable_error",
      message: `"${modelId}" cannot run on WebGPU: ${problem.reason}. Use device: "wasm" (or "auto") to run it on the CPU${F16_DTYPES.includes(dtype) ? ", or a dtype without f16 (q4, fp32)" : ""}.`,
      param: "model.device",
      code: problem.code,
    });
  }
  return {
    device: "webgpu",
    adapter: problem.adapter,
    reason: `WebGPU${problem.adapter.info?.architecture ? ` (${problem.adapter.info.architecture})` : ""}`,
  };
}

async function webGpuProblem(
  dtype: OnnxDtype,
  gpu: GPU | undefined,
): Promise<{ adapter: GPUAdapter; reason?: undefined } | { adapter?: undefined; reason: string; code: string }> {
  if (!gpu) return { reason: "WebGPU is not available here (navigator.gpu is missing)", code: "webgpu_unavailable" };
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" }).catch(() => null);
  if (!adapter)
    return { reason: "no WebGPU adapter was found (the GPU may be blocklisted or disabled)", code: "webgpu_no_adapter" };
  if (F16_DTYPES.includes(dtype) && !adapter.features.has("shader-f16"))
    return {
      reason: `dtype ${dtype} needs the WebGPU feature "shader-f16", which this adapter does not have`,
      code: "shader_f16_unsupported",
    };
  return { adapter };
}
