import { expect, test } from "@playwright/test";
import type { ModelRecord } from "../../src/index.js";
import { saveAsTransformers } from "./support/transformers-folder.js";

/** What the page API sees, through the public entry point (src/index.ts) as an app imports it. */
type Api = typeof import("../../src/index.js");

const REFERENCE = "public/models/tiny-random-qwen3/";
const ONNX = "test/fixtures/onnx/tiny-random-qwen3/";
// Under public/models/ (git-ignored), served at /models/.
for (const place of ["jinja", "json", "none"] as const) {
  saveAsTransformers(REFERENCE, `public/models/tiny-qwen3-${place}/`, place);
  saveAsTransformers(ONNX, `public/models/tiny-onnx-qwen3-${place}/`, place);
}

test.beforeEach(async ({ page }) => {
  await page.goto("/test/browser/support/client.html");
});

test("a folder saved by current transformers (template in chat_template.jinja or chat_template.json only) loads and answers exactly as the original on the reference and ONNX runners; with no template anywhere it is the typed 400", async ({
  page,
}) => {
  const r = await page.evaluate(async () => {
    const api = (await import("/src/index.ts" as string)) as Api;
    const onnx = { runner: "onnx", dtype: "fp32", device: "wasm" } as const;
    const models: ModelRecord[] = [
      { model_id: "ref", model: "/models/tiny-random-qwen3/", runner: "reference" },
      { model_id: "ref-jinja", model: "/models/tiny-qwen3-jinja/", runner: "reference" },
      { model_id: "ref-json", model: "/models/tiny-qwen3-json/", runner: "reference" },
      { model_id: "ref-none", model: "/models/tiny-qwen3-none/", runner: "reference" },
      { model_id: "onnx", model: "/test/fixtures/onnx/tiny-random-qwen3/", ...onnx },
      { model_id: "onnx-jinja", model: "/models/tiny-onnx-qwen3-jinja/", ...onnx },
      { model_id: "onnx-none", model: "/models/tiny-onnx-qwen3-none/", ...onnx },
    ];
    const engine = await api.createEngine({ model: models });
    const answer = async (model: string) => {
      try {
        const c = await engine.chat.completions.create({
          model,
          messages: [{ role: "user", content: "Hello there" }],
          temperature: 0,
          max_tokens: 8,
          ignore_eos: true,
          logprobs: true,
        });
        return { tokens: c.choices[0]!.logprobs!.content!.map((t) => t.token), prompt: c.usage!.prompt_tokens };
      } catch (e) {
        return e instanceof api.ApiError ? { status: e.status, code: e.code, param: e.param, message: e.message } : String(e);
      }
    };
    const out: Record<string, unknown> = {};
    for (const m of models) out[m.model_id] = await answer(m.model_id);
    await engine.dispose();
    return out;
  });
  expect((r.ref as { tokens: string[] }).tokens).toHaveLength(8);
  expect(r["ref-jinja"]).toEqual(r.ref);
  expect(r["ref-json"]).toEqual(r.ref);
  expect((r.onnx as { tokens: string[] }).tokens).toHaveLength(8);
  expect(r["onnx-jinja"]).toEqual(r.onnx);
  for (const none of ["ref-none", "onnx-none"])
    expect(r[none]).toMatchObject({
      status: 400,
      code: "missing_required_parameter",
      param: "chat_template",
      message: expect.stringContaining("has no chat template"),
    });
});
