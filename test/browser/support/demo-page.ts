/** Driving the demo app from tests. */
import { expect, type Page } from "@playwright/test";

/** Open the app and load the tiny model; any alert() or other dialog fails the test. */
export async function openWithTinyModel(page: Page, url = "/"): Promise<void> {
  page.on("dialog", (d) => {
    throw new Error(`unexpected dialog: ${d.message()}`);
  });
  await page.goto(url);
  await expect(page.locator("#model")).toHaveValue("tiny-random-qwen3");
  await page.getByRole("button", { name: "Load" }).click();
  await expect(page.locator("#load-status")).toHaveText("tiny-random-qwen3 is ready.", { timeout: 90_000 });
}

/** Send a message and wait for its answer's stats line. */
export async function ask(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#transcript li.assistant .stats").last()).toContainText("finish:", { timeout: 60_000 });
}
