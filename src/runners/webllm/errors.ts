import { ApiError } from "../../protocol/index.js";
import { NO_ANSWER_HINT } from "../../models/fetch-file.js";

/** Bytes of prompt logits a prompt_logprobs request may hold (one float32 row per prompt token). */
export const PROMPT_LOGPROBS_BYTES = 256 * 2 ** 20;

export function promptLogprobsTooLong(tokens: number, vocabSize: number, limit: number): ApiError {
  const mb = Math.round((tokens * vocabSize * 4) / 2 ** 20);
  return ApiError.invalid(
    "prompt_logprobs",
    `prompt_logprobs on a web-llm model runs the prompt one token per step and keeps every row of logits: ${tokens} tokens × ${vocabSize} would take ${mb} MB. The limit is ${limit} prompt tokens for this model; shorten the prompt or drop prompt_logprobs.`,
    "prompt_logprobs_too_long",
  );
}

export function loadAborted(modelId: string): ApiError {
  return new ApiError({
    type: "service_unavailable_error",
    message: `Loading "${modelId}" was aborted (web-llm's unload ran during its reload); load it again.`,
    param: "model",
    code: "model_load_aborted",
  });
}

/** web-llm's own downloads (library, weights) failing with no answer: a 503 that says why that happens. */
export function downloadFailed(modelId: string, cause: unknown): ApiError | null {
  if (!(cause instanceof TypeError) || !/fetch|network/i.test(cause.message)) return null;
  return new ApiError({
    type: "service_unavailable_error",
    message: `Loading "${modelId}" failed while web-llm downloaded its files (${cause.message}): ${NO_ANSWER_HINT}.`,
    param: "model",
    code: "model_fetch_failed",
  });
}

/**
 * Errors that mean the GPU device is gone: web-llm's own (its device-loss handler unloads every
 * model) and WebGPU's "device is lost" rejections of work in flight while that unload runs.
 */
export function isDeviceLossError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  return e.name === "ModelNotLoadedError" || e.name === "DeviceLostError" || /device (is |was )?lost/i.test(e.message);
}
