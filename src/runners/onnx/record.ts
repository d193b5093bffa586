import { z } from "zod";
import type { BaseModelRecord } from "../../models/record.js";
import { baseRecordFields, oneOf } from "../../models/record-schema.js";
import { ONNX_DTYPE_NAMES, type OnnxDtype } from "./folder.js";

const DEVICES = ["auto", "webgpu", "wasm"] as const;

/** A transformers.js / onnx-community folder (onnx/model_<dtype>.onnx) on onnxruntime-web. */
export interface OnnxRecord extends BaseModelRecord {
  runner: "onnx";
  /** Which graph of the folder (fp32 → onnx/model.onnx, q4 → onnx/model_q4.onnx, …); default fp32. */
  dtype?: OnnxDtype;
  /** "webgpu", "wasm" (CPU), or "auto" (default): WebGPU when the adapter can run the dtype, else wasm. */
  device?: (typeof DEVICES)[number];
}

export const onnxRecord: z.ZodType<OnnxRecord> = z.strictObject({
  ...baseRecordFields,
  runner: z.literal("onnx"),
  dtype: z
    .enum(ONNX_DTYPE_NAMES, {
      error: oneOf(ONNX_DTYPE_NAMES, " (the onnx/model_<dtype>.onnx files of a transformers.js folder)"),
    })
    .optional(),
  device: z.enum(DEVICES, { error: oneOf(DEVICES) }).optional(),
});
