import * as Comlink from "comlink";
import { ApiError, type ApiErrorBody } from "./errors.js";

type Thrown = { isError: boolean; value: unknown };

/**
 * Comlink sends thrown Errors as name + message + stack only; this keeps an ApiError's type,
 * param, code, status and retryAfter across the worker boundary. Call on both sides (idempotent).
 */
export function installApiErrorTransfer(): void {
  const original = Comlink.transferHandlers.get("throw") as Comlink.TransferHandler<unknown, Thrown> | undefined;
  if (!original || (original as { apiErrors?: boolean }).apiErrors) return;
  const handler: Comlink.TransferHandler<unknown, Thrown> & { apiErrors: true } = {
    apiErrors: true,
    canHandle: (v): v is unknown => original.canHandle(v),
    serialize(thrown) {
      const value = (thrown as { value: unknown }).value;
      if (value instanceof ApiError)
        return [{ isError: true, value: { ...value.toJSON(), name: "ApiError", retryAfter: value.retryAfter } }, []];
      return original.serialize(thrown);
    },
    deserialize(serialized) {
      const v = serialized.value as (ApiErrorBody & { name?: string; retryAfter?: number }) | undefined;
      if (serialized.isError && v?.name === "ApiError" && v.error) throw ApiError.fromBody(v, v.retryAfter);
      return original.deserialize(serialized);
    },
  };
  Comlink.transferHandlers.set("throw", handler);
}
