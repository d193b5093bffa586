/**
 * The demo's GGUF entry: SmolLM2-135M-Instruct Q4_1 as one GGUF file on the reference (CPU) runner,
 * served by the dev server from the shared cache (scripts/real-model/gguf.sh), answers the capital
 * question with Paris: transformers' greedy reply on the same file (real_truth.py), which stops there.
 */
import { existsSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { SMOLLM2_GGUF } from "../unit/runners/gguf-fixtures.js";

const ID = "SmolLM2-135M-Instruct-Q4_1-gguf";

test("the demo lists SmolLM2 Q4_1 GGUF on the CPU runner, and picked it answers 'What is the capital of France?' with Paris", async ({
  page,
}) => {
  test.setTimeout(900_000);
  expect(existsSync(SMOLLM2_GGUF), "run bash scripts/real-model/gguf.sh").toBe(true);
  await page.goto("/");
  await expect(page.locator("body[data-models=ready]")).toBeAttached({ timeout: 30_000 });
  const option = page.locator(`#model option[value="${ID}"]`);
  await expect(option).toBeEnabled();
  await expect(option).toContainText("GGUF on the CPU");
  await page.locator("#model").selectOption(ID);
  await page.getByRole("button", { name: "Load" }).click();
  await expect(page.locator("#load-status")).toHaveText(`${ID} is ready.`, { timeout: 600_000 });
  await page.locator("#settings summary").click();
  await page.locator('input[name="temperature"]').fill("0");
  await page.locator('input[name="max_tokens"]').fill("12");
  await page.locator("#settings summary").click();
  await page.getByLabel("Message").fill("What is the capital of France?");
  await page.getByRole("button", { name: "Send" }).click();
  const stats = page.locator("#transcript li.assistant .stats").last();
  await expect(stats).toContainText("finish: stop", { timeout: 300_000 });
  await expect(page.locator("#transcript li.assistant .body").last()).toHaveText("The capital of France is Paris.");
});
