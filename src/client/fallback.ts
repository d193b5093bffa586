import { ApiError } from "../protocol/errors.js";

/** What the app hears when a request goes to the fallback model instead of the one it named. */
export interface FallbackEvent {
  /** The model that could not serve it. */
  from: string;
  /** The model that answers instead (the engine's `fallback`). */
  to: string;
  /** Why: the code of the local model's error ("webgpu_unavailable", "context_length_exceeded", …). */
  reason: string;
  message: string;
}

/**
 * Failures of a local model that another model can serve: no WebGPU / WASM path, the model does
 * not fit (quota, memory, missing features), the device was lost, or the prompt is longer than its
 * window. A request that is wrong in itself (400) would fail on the fallback too.
 */
const REQUEST_FALLBACK_CODES = new Set(["context_length_exceeded", "prompt_too_large", "gpu_device_lost", "model_reload_failed"]);

/** Whether a failed load means "use the fallback for this model": anything but a malformed record. */
export function loadFallsBack(e: unknown): e is ApiError {
  return e instanceof ApiError && e.type !== "invalid_request_error";
}

/** Whether a failed request should be sent again to the fallback model. */
export function requestFallsBack(e: unknown): e is ApiError {
  return e instanceof ApiError && (REQUEST_FALLBACK_CODES.has(e.code ?? "") || e.type === "service_unavailable_error");
}

export function fallbackEvent(from: string, to: string, e: ApiError): FallbackEvent {
  return { from, to, reason: e.code ?? e.type, message: e.message };
}
