import { ApiError } from "../../protocol/errors.js";
import { FetchError } from "../../models/fetch-file.js";
import { fetchFailure } from "../../models/fetch-json.js";
import { ConfigError } from "./config.js";
import { GgufError } from "./gguf/gguf-error.js";
import { SafetensorsError } from "./safetensors.js";

/** What a failed reference load tells the page: a file it could not fetch, or one it cannot read. */
export function loadFailure(modelId: string, e: unknown): unknown {
  if (e instanceof FetchError) return fetchFailure(e);
  if (e instanceof ConfigError || e instanceof SafetensorsError || e instanceof GgufError)
    return new ApiError({ type: "server_error", message: `${modelId}: ${e.message}`, param: "model", code: "bad_model_file" });
  return e;
}
