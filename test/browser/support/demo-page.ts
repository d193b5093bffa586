/** Driving the demo app from tests. */
import { expect, type Page } from "@playwright/test";

/** Open the app and load the tiny model; any alert() or other dialog fails the test. */
export async function openWithTinyModel(page: Page, url = "/"): Promise<void> {
  page.on("dialog", (d) => {
    throw new Error(`unexpected dialog: ${d.message()}`);
  });
  await page.goto(url);
  await chooseTinyModel(page);
  await page.getByRole("button", { name: "Load" }).click();
  await expect(page.locator("#load-status")).toHaveText("tiny-random-qwen3 is ready.", { timeout: 90_000 });
}

/** Pick the tiny model once the picker is filled (the real model is the default where it is built). */
export async function chooseTinyModel(page: Page): Promise<void> {
  await expect(page.locator("body[data-models=ready]")).toBeAttached({ timeout: 30_000 });
  await page.locator("#model").selectOption("tiny-random-qwen3");
}

/** Send a message and wait for its answer's stats line. */
export async function ask(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#transcript li.assistant .stats").last()).toContainText("finish:", { timeout: 60_000 });
}
