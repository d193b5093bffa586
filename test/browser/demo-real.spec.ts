/**
 * The demo with the real model: where scripts/real-model/build.sh has built SmolLM2, the demo's
 * default model is SmolLM2-135M-Instruct q4 on ONNX, and it answers the capital question with Paris.
 * REAL_MODEL_SCREENSHOT=<path> also saves the page (docs/screenshots/demo-smollm2-paris.png).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { REAL_MODEL_CACHE } from "../../scripts/real-model/serve.js";

test("the demo's default is SmolLM2 (q4 ONNX) where it is built, and it answers 'What is the capital of France?' with Paris", async ({
  page,
}) => {
  test.setTimeout(600_000);
  expect(existsSync(join(REAL_MODEL_CACHE, "onnx", ".ready")), "run bash scripts/real-model/build.sh").toBe(true);
  await page.setViewportSize({ width: 1100, height: 800 });
  await page.goto("/");
  await expect(page.locator("body[data-models=ready]")).toBeAttached({ timeout: 30_000 });
  await expect(page.locator("#model")).toHaveValue("SmolLM2-135M-Instruct-q4-onnx");
  await page.getByRole("button", { name: "Load" }).click();
  await expect(page.locator("#load-status")).toHaveText("SmolLM2-135M-Instruct-q4-onnx is ready.", { timeout: 420_000 });
  await page.locator("#settings summary").click();
  await page.locator('input[name="temperature"]').fill("0");
  await page.locator('input[name="max_tokens"]').fill("16");
  await page.locator("#settings summary").click();
  await page.getByLabel("Message").fill("What is the capital of France?");
  await page.getByRole("button", { name: "Send" }).click();
  const stats = page.locator("#transcript li.assistant .stats").last();
  await expect(stats).toContainText("finish: stop", { timeout: 180_000 });
  await expect(page.locator("#transcript li.assistant .body").last()).toHaveText("The capital of France is Paris.");
  if (process.env.REAL_MODEL_SCREENSHOT) await page.screenshot({ path: process.env.REAL_MODEL_SCREENSHOT, fullPage: false });
});
