import { ApiError } from "../protocol/errors.js";
import type { BaseModelRecord } from "../models/record.js";
import type { RunnerPlugin } from "./plugin.js";

/**
 * The record as its runner's schema reads it, or a 400 invalid_model_record whose param is the zod
 * path ("model.dtype", "model.script.0.text") and whose message says what to write there.
 */
export function checkRecord<R extends BaseModelRecord>(plugin: RunnerPlugin<R>, record: unknown): R {
  const parsed = plugin.record.safeParse(record);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const unknownKey = issue.code === "unrecognized_keys";
  const param = ["model", ...issue.path, ...(unknownKey ? issue.keys.slice(0, 1) : [])].join(".");
  const message = unknownKey
    ? `is not a field of a "${plugin.name}" record: remove it, or set the runner that reads it`
    : issue.message;
  throw ApiError.invalid(param, `${param} ${message}.`, "invalid_model_record");
}
