import { ApiError } from "../protocol/errors.js";

/**
 * A local model id is read from `<modelBaseUrl><id>/`; when a file there is missing, the likely
 * fix is modelBaseUrl (or where the folder is served), so the 404 says so.
 */
export function withModelBaseHint(e: unknown, id: string, modelBase: string): unknown {
  if (!(e instanceof ApiError) || e.code !== "model_fetch_failed" || e.status !== 404) return e;
  return new ApiError({
    type: e.type,
    param: e.param,
    code: e.code,
    message:
      `${e.message}. "${id}" is read from modelBaseUrl + "${id}/" = ${new URL(`${id}/`, modelBase).href}: ` +
      `serve the model's folder there, or pass createEngine({ modelBaseUrl }) with the URL of the folder that holds "${id}/" (now ${modelBase}).`,
  });
}
