import { describe, expect, it } from "vitest";
import type { ModelRecord } from "../../../src/runners/registry.js";
import { loadModel } from "../../../src/worker/load-model.js";

describe("a model record's reasoning_parser", () => {
  it("an unknown name is a 400 on model.reasoning_parser listing vLLM's names, before anything is fetched", async () => {
    const record = {
      model_id: "m",
      model: "/models/m/",
      runner: "reference",
      reasoning_parser: "qwen",
    } as unknown as ModelRecord;
    await expect(loadModel(record)).rejects.toMatchObject({
      status: 400,
      param: "model.reasoning_parser",
      code: "invalid_model_record",
      message: expect.stringContaining("deepseek_r1, qwen3"),
    });
  });
});
