/**
 * The WebGPU device an ONNX session runs on. The runner makes its own (from the adapter pickDevice
 * checked) instead of letting onnxruntime make its default one: onnxruntime keeps that default device
 * for every later session while any session is open, so after a device loss a new session could land
 * on the dead device. A device of ours gets its own onnxruntime context, is watched for loss, and is
 * replaced by a new one on reload.
 */

/** Features onnxruntime's WebGPU EP asks for when it makes a device itself (when the adapter has them). */
const FEATURES: GPUFeatureName[] = ["shader-f16", "subgroups", "subgroups-f16" as GPUFeatureName];

/** Limits onnxruntime's WebGPU EP raises to the adapter's when it makes a device itself. */
const LIMITS = [
  "maxBindGroups",
  "maxComputeWorkgroupStorageSize",
  "maxComputeWorkgroupsPerDimension",
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupSizeZ",
] as const;

export function requestGpuDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMITS) requiredLimits[name] = adapter.limits[name];
  return adapter.requestDevice({
    label: "webgpu-chat-engine onnx",
    requiredFeatures: FEATURES.filter((f) => adapter.features.has(f)),
    requiredLimits,
  });
}

/**
 * Whether a failed run means `device` is lost: its lost promise settles (WebGPU resolves it a task or
 * so after destroy() or a driver reset, which can be after onnxruntime's rejection), or the error says so.
 */
export async function deviceWasLost(device: GPUDevice, e: unknown, waitMs = 100): Promise<boolean> {
  if (e instanceof Error && /device (is |was )?(lost|destroyed)/i.test(e.message)) return true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs)));
  try {
    return await Promise.race([device.lost.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
