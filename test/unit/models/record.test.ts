import { describe, expect, it } from "vitest";
import { absoluteRecord } from "../../../src/models/record.js";
import { type ModelRecord } from "../../../src/runners/registry.js";

const page = "https://app.test/chat/index.html";

describe("absoluteRecord (createEngine applies it with the page URL before a record reaches the worker)", () => {
  it("resolves relative model and model_lib URLs against the page; absolute ones stay", () => {
    const rec = absoluteRecord({ model_id: "m", model: "/models/m/", model_lib: "libs/m.wasm", context_window: 9 }, page);
    expect(rec).toEqual({
      model_id: "m",
      model: "https://app.test/models/m/",
      model_lib: "https://app.test/chat/libs/m.wasm",
      context_window: 9,
    });
    const abs = { model_id: "m", model: "https://hf.test/org/m", model_lib: "https://libs.test/m.wasm" };
    expect(absoluteRecord(abs, page)).toEqual(abs);
  });

  it("without a page URL a relative one is a 400 naming the field; a malformed record is left for the loader's check", () => {
    const err = (() => {
      try {
        return absoluteRecord({ model_id: "m", model: "https://hf.test/m", model_lib: "m.wasm" }, undefined);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ status: 400, param: "model.model_lib", code: "invalid_model_record" });
    const broken = { model_id: "m" } as unknown as ModelRecord;
    expect(absoluteRecord(broken, page)).toEqual({ model_id: "m" });
  });
});
