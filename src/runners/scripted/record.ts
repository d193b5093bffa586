import { z } from "zod";
import type { BaseModelRecord } from "../../models/record.js";
import { baseRecordFields } from "../../models/record-schema.js";
import { scriptProblem, type ModelScript } from "./script.js";

/** No weights: answers `script` (tests; see webgpu-chat-engine/testing), with the tokenizer of the folder `model`. */
export interface ScriptedRecord extends BaseModelRecord {
  runner: "scripted";
  /** What the model answers. */
  script: ModelScript;
}

export const scriptedRecord: z.ZodType<ScriptedRecord> = z
  .strictObject({ ...baseRecordFields, runner: z.literal("scripted"), script: z.custom<ModelScript>(() => true) })
  .superRefine((r, ctx) => {
    const problem = scriptProblem(r.script);
    if (problem)
      ctx.addIssue({
        code: "custom",
        path: ["script", ...(problem.path ? problem.path.split(".") : [])],
        message: problem.message,
      });
  });
