import { z } from "zod";
import type { BaseModelRecord } from "../../models/record.js";
import { baseRecordFields } from "../../models/record-schema.js";

/** A Hugging Face folder (config.json, model.safetensors or its shards, tokenizer files) run exactly on the CPU. */
export interface ReferenceRecord extends BaseModelRecord {
  runner: "reference";
}

export const referenceRecord: z.ZodType<ReferenceRecord> = z.strictObject({
  ...baseRecordFields,
  runner: z.literal("reference"),
});
