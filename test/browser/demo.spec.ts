import { expect, test } from "@playwright/test";

test("the demo loads the tiny model with progress and streams a greedy continuation", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("#webgpu")).toContainText("shader-f16 no");
  await page.getByRole("button", { name: "Generate 32 tokens" }).click();
  await expect(page.locator("#status")).toContainText(/32 tokens in \d+ ms \([\d.]+ tokens\/s\), greedy/, { timeout: 90_000 });
  await expect(page.locator("#progress")).toHaveJSProperty("value", await page.locator("#progress").evaluate((p: HTMLProgressElement) => p.max));
  expect((await page.locator("#output").textContent())!.length).toBeGreaterThan(0);
  await page.screenshot({ path: "test-results/demo.png" });
});
