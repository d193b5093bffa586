import { describe, expect, it } from "vitest";
import { ApiError } from "../../../src/protocol/errors.js";
import type { RunnerPlugin } from "../../../src/runners/plugin.js";
import { checkRecord } from "../../../src/runners/record-check.js";
import { referencePlugin } from "../../../src/runners/reference/plugin.js";
import { scriptedPlugin } from "../../../src/runners/scripted/plugin.js";
import { webllmPlugin } from "../../../src/runners/webllm/plugin.js";

function refusal(plugin: RunnerPlugin, record: unknown): ApiError {
  try {
    checkRecord(plugin, record);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("the record was accepted");
}

const base = { model_id: "m", model: "/models/m/" };

describe("model records are checked by their runner's zod schema: 400 invalid_model_record, the zod path as param", () => {
  it("a field another runner reads is refused by name on a strict record", () => {
    const e = refusal(referencePlugin, { ...base, runner: "reference", dtype: "q4" });
    expect(e).toMatchObject({ status: 400, code: "invalid_model_record", param: "model.dtype" });
    expect(e.message).toBe('model.dtype is not a field of a "reference" record: remove it, or set the runner that reads it.');
  });

  it("web-llm records keep web-llm's own fields but refuse ONNX ones", () => {
    const rec = { ...base, model_lib: "/lib.wasm", vram_required_MB: 100, overrides: { context_window_size: 512 } };
    expect(checkRecord(webllmPlugin, rec)).toEqual(rec);
    expect(refusal(webllmPlugin, { ...rec, device: "wasm" })).toMatchObject({
      param: "model.device",
      message: 'model.device chooses an ONNX graph or where it runs: it needs runner: "onnx".',
    });
  });

  it("tool_parser, model_id and context_window say what to write", () => {
    expect(refusal(referencePlugin, { ...base, runner: "reference", tool_parser: "xml" }).message).toBe(
      'model.tool_parser must be one of hermes, llama3_json, mistral, granite, got "xml".',
    );
    expect(refusal(referencePlugin, { model: "/m/", runner: "reference" })).toMatchObject({ param: "model.model_id" });
    expect(refusal(referencePlugin, { ...base, runner: "reference", context_window: -3 })).toMatchObject({
      param: "model.context_window",
    });
  });

  it("a scripted record's script is checked down to the reply field", () => {
    const e = refusal(scriptedPlugin, { ...base, runner: "scripted", script: [{ text: "hi" }] });
    expect(e).toMatchObject({
      param: "model.script.0.text",
      message: "model.script.0.text unknown field (known: when, reasoning, content, toolCalls).",
    });
  });
});
