import { ApiError } from "../protocol/index.js";

/** Errors every local runner raises the same way (a lost GPU device, a model unloaded mid-request). */
export function deviceLost(modelId: string, cause: unknown): ApiError {
  return new ApiError({
    type: "service_unavailable_error",
    message: `The GPU device was lost while "${modelId}" ran (${messageOf(cause)}); the model is reloaded on the next request.`,
    param: "model",
    code: "gpu_device_lost",
  });
}

export function reloadFailed(modelId: string, cause: unknown): ApiError {
  return new ApiError({
    type: "service_unavailable_error",
    message: `Reloading "${modelId}" after a GPU device loss failed (${messageOf(cause)}); the next request tries again.`,
    param: "model",
    code: "model_reload_failed",
  });
}

export function unloaded(modelId: string): ApiError {
  return new ApiError({
    type: "not_found_error",
    message: `The model "${modelId}" was unloaded while this request ran.`,
    param: "model",
    code: "model_unloaded",
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
