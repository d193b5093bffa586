/**
 * The zod fields every runner's record schema starts from (worker side: the page never loads zod).
 * Messages follow the param they are about ("model.tool_parser must be ..."): see runners/record-check.ts.
 */
import { z } from "zod";
import { REASONING_FORMATS, TOOL_FORMATS } from "../protocol/parser-names.js";

/** "must be one of a, b, c, got x": what to write instead of what was written. */
export function oneOf(values: readonly string[], why = ""): (issue: { input?: unknown }) => string {
  return (issue) => `must be one of ${values.join(", ")}${why}, got ${JSON.stringify(issue.input)}`;
}

export const baseRecordFields = {
  model_id: z.string({ error: "must be a non-empty string: the id requests name in `model`" }).min(1, {
    error: "must be a non-empty string: the id requests name in `model`",
  }),
  model: z.string({ error: "must be the URL of the model's folder" }).min(1, { error: "must be the URL of the model's folder" }),
  chat_template: z.string({ error: "must be a Jinja template string" }).optional(),
  tool_parser: z.enum(TOOL_FORMATS, { error: oneOf(TOOL_FORMATS) }).optional(),
  reasoning_parser: z
    .enum(REASONING_FORMATS, { error: oneOf(REASONING_FORMATS, " (leave it out to detect it from the chat template)") })
    .optional(),
  context_window: z.number({ error: "must be a whole number of tokens" }).int().positive().optional(),
};
