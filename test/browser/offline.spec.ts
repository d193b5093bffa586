import { expect, test } from "@playwright/test";
import { previewPort } from "../../playwright.config.js";
import { ask, openWithTinyModel } from "./support/demo-page.js";

const PREVIEW = `http://127.0.0.1:${previewPort}/`;

test("the production build: smoke test, then offline after one visit the app loads and the tiny model answers", async ({
  page,
  context,
}) => {
  await openWithTinyModel(page, PREVIEW);
  await expect(page.locator("#offline")).toHaveText("Works offline", { timeout: 120_000 });
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("8");
  await ask(page, "Online first");
  await expect(page.locator("#transcript li.assistant .stats")).toContainText(/8 tokens, [\d.]+ tokens\/s/);

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator("h1")).toHaveText("In-page LLM engine");
  await openWithTinyModel(page, PREVIEW);
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("8");
  await ask(page, "Now offline");
  // The conversation from before the reload is restored above the new answer.
  await expect(page.locator("#transcript li.assistant .stats").last()).toContainText(/8 tokens, [\d.]+ tokens\/s/);
  await context.setOffline(false);
});
