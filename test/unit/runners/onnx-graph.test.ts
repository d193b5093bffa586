import type { InferenceSession } from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { GraphError, readSignature } from "../../../src/runners/onnx/graph.js";
import { describeFolder } from "../../../src/runners/onnx/folder.js";
import { onnxPlugin } from "../../../src/runners/onnx/plugin.js";
import { checkRecord } from "../../../src/runners/record-check.js";
import { onnxFolderUrl } from "../../../src/runners/onnx/folder.js";
import { ApiError } from "../../../src/protocol/errors.js";

type Meta = InferenceSession.ValueMetadata;
const t = (name: string, type: string, shape: (number | string)[]): Meta => ({ name, isTensor: true, type, shape }) as Meta;

/** What onnxruntime reports for test/fixtures/onnx/tiny-random-qwen3/onnx/model.onnx (2 layers, 2 KV heads of 16). */
function qwen3(): { inputs: Meta[]; outputs: Meta[] } {
  const inputs = [
    t("input_ids", "int64", ["batch_size", "sequence_length"]),
    t("attention_mask", "int64", ["batch_size", "total_sequence_length"]),
    t("position_ids", "int64", ["batch_size", "sequence_length"]),
    t("num_logits_to_keep", "int64", []),
  ];
  const outputs = [t("logits", "float32", ["batch_size", "sequence_length", 512])];
  for (let i = 0; i < 2; i++)
    for (const k of ["key", "value"]) {
      inputs.push(t(`past_key_values.${i}.${k}`, "float32", ["batch_size", 2, "past_sequence_length", 16]));
      outputs.push(t(`present.${i}.${k}`, "float32", ["batch_size", 2, "total_sequence_length", 16]));
    }
  return { inputs, outputs };
}

describe("readSignature", () => {
  it("reads layers, KV shape, dtypes, vocab and the optional inputs from the session's metadata", () => {
    const { inputs, outputs } = qwen3();
    const sig = readSignature(inputs, outputs, "model.onnx");
    expect(sig).toMatchObject({ layers: 2, kvHeads: 2, headDim: 16, kvType: "float32", vocabSize: 512 });
    expect(sig).toMatchObject({ positionIds: "int64", logitsToKeep: "num_logits_to_keep", idsType: "int64" });
    expect(sig.pastToPresent.get("past_key_values.1.value")).toBe("present.1.value");
  });

  it("a GroupQueryAttention graph has no position_ids nor num_logits_to_keep: both are left out", () => {
    const { inputs, outputs } = qwen3();
    const sig = readSignature(
      inputs.filter((m) => m.name !== "position_ids" && m.name !== "num_logits_to_keep"),
      outputs,
      "model.onnx",
    );
    expect(sig).toMatchObject({ positionIds: null, logitsToKeep: null });
  });

  it("refuses an input it would have to guess, by name", () => {
    const { inputs, outputs } = qwen3();
    const run = () => readSignature([...inputs, t("token_type_ids", "int64", ["b", "s"])], outputs, "onnx/model.onnx");
    expect(run).toThrow(GraphError);
    expect(run).toThrow(/onnx\/model\.onnx has inputs this runner does not know how to fill: token_type_ids/);
  });

  it("refuses a graph without a KV cache or with a past input whose present output is missing", () => {
    const { inputs, outputs } = qwen3();
    expect(() => readSignature(inputs.slice(0, 3), outputs, "m.onnx")).toThrow(/no past_key_values/);
    expect(() =>
      readSignature(
        inputs,
        outputs.filter((m) => m.name !== "present.1.key"),
        "m.onnx",
      ),
    ).toThrow(/past_key_values\.1\.key but no present\.1\.key/);
  });
});

describe("ONNX folders", () => {
  it("maps dtypes to transformers.js file names and counts external-data chunks from config.json", async () => {
    const config = { "transformers.js_config": { use_external_data_format: { "model_q4f16.onnx": 2, "model.onnx": true } } };
    const fetchFn = (async () => new Response(JSON.stringify(config))) as typeof fetch;
    expect(await describeFolder("https://x.test/m/", "q4f16", fetchFn)).toMatchObject({
      graph: "onnx/model_q4f16.onnx",
      externalData: ["onnx/model_q4f16.onnx_data", "onnx/model_q4f16.onnx_data_1"],
    });
    expect(await describeFolder("https://x.test/m/", "q4", fetchFn)).toMatchObject({
      graph: "onnx/model_q4.onnx",
      externalData: [],
    });
    expect(await describeFolder("https://x.test/m/", "q8", fetchFn)).toMatchObject({ graph: "onnx/model_quantized.onnx" });
  });

  it("rejects an unknown dtype as a 400 on model.dtype", () => {
    const record = { model_id: "m", model: "/m/", runner: "onnx" };
    expect(checkRecord(onnxPlugin, record).dtype).toBeUndefined();
    const e = (() => {
      try {
        checkRecord(onnxPlugin, { ...record, dtype: "q3" });
      } catch (x) {
        return x as ApiError;
      }
    })();
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, param: "model.dtype", code: "invalid_model_record" });
    expect(e?.message).toBe(
      'model.dtype must be one of fp32, fp16, q4, q4f16, q8, int8, uint8, bnb4 (the onnx/model_<dtype>.onnx files of a transformers.js folder), got "q3".',
    );
  });

  it("a bare Hugging Face repo URL reads from resolve/main/, any other folder as given", () => {
    expect(onnxFolderUrl("https://huggingface.co/onnx-community/Qwen3-0.6B-ONNX")).toBe(
      "https://huggingface.co/onnx-community/Qwen3-0.6B-ONNX/resolve/main/",
    );
    expect(onnxFolderUrl("/models/q/", "http://127.0.0.1:5173/")).toBe("http://127.0.0.1:5173/models/q/");
  });
});
