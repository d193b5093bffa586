/**
 * The demo as a newcomer meets it: a message typed before any model is loaded, the model picker,
 * which model answers and whether it is writing, tool results, the narrow layout, the settings'
 * labels and the offline notice.
 */
import { expect, test } from "@playwright/test";
import { useScriptedModel } from "../../src/testing/index.js";
import { openWithTinyModel } from "./support/demo-page.js";

test("Enter before a model is loaded keeps the message, loads the model and sends it when ready", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("#chat-model")).toContainText("No model loaded");
  const box = page.getByLabel("Message");
  await box.fill("Hello before loading");
  await box.press("Enter");
  await expect(box).toHaveValue("Hello before loading");
  await expect(page.locator("#chat-model")).toContainText(/sent as soon as the model is loaded|Loading tiny-random-qwen3/);
  await expect(page.locator("#chat-model")).toHaveText("Model: tiny-random-qwen3", { timeout: 90_000 });
  await expect(page.locator("#transcript li.user")).toHaveText(/Hello before loading/);
  await expect(page.locator("#transcript li.assistant .stats").last()).toContainText("finish:", { timeout: 60_000 });
  await expect(box).toHaveValue("");
});

test("the picker groups models by source and size, disables what cannot run here with the reason, hides embedding models", async ({
  page,
}) => {
  await page.goto("/");
  const groups = page.locator("#model optgroup");
  await expect(groups.first()).toHaveAttribute("label", "Test model · CPU");
  await expect(page.locator('#model optgroup[label^="WebGPU (web-llm) · small"]')).toHaveCount(1);
  await expect(page.locator("#model option[value='tiny-random-qwen3']")).toContainText("MB download");
  // SwiftShader has WebGPU but no shader-f16: f16 models are disabled and say so, f32 twins are not.
  const f16 = page.locator("#model option[value='Qwen3-0.6B-q4f16_1-MLC']");
  await expect(f16).toBeDisabled();
  await expect(f16).toContainText("needs shader-f16");
  await expect(page.locator("#model option[value='Qwen3-0.6B-q4f32_1-MLC']")).toBeEnabled();
  await expect(page.locator("#model option[value*='embed']")).toHaveCount(0);
  // The header carries no developer diagnostics, and "Model" is shown once.
  await expect(page.locator("header")).not.toContainText("WebGPU");
  await expect(page.locator("header")).not.toContainText("dev mode");
  await expect(page.getByText("Model", { exact: true })).toHaveCount(1);
});

test("the chat says which model answers and shows that a reply is streaming", async ({ page }) => {
  await openWithTinyModel(page);
  await expect(page.locator("#chat-model")).toHaveText("Model: tiny-random-qwen3");
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("400");
  await page.getByLabel("Message").fill("Talk for a while");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#streaming")).toBeVisible();
  await expect(page.locator("#transcript")).toHaveAttribute("aria-busy", "true");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.locator("#streaming")).toBeHidden();
  await expect(page.locator("#transcript")).toHaveAttribute("aria-busy", "false");
});

test("tool results are rounded for reading; a tool error is marked as one", async ({ page }) => {
  await useScriptedModel(page, [
    {
      toolCalls: [
        { name: "convert_units", arguments: { value: 10, from: "km", to: "mi" } },
        { name: "calculator", arguments: { expression: "2+" } },
      ],
    },
    { when: "<tool_response>", content: "Done." },
  ]);
  await openWithTinyModel(page);
  await page.getByLabel("Demo tools").check();
  await page.getByLabel("Message").fill("Convert and add");
  await page.getByRole("button", { name: "Send" }).click();
  const tools = page.locator("#transcript li.tool");
  await expect(tools.first()).toContainText("→ 6.21371 mi", { timeout: 60_000 });
  await expect(tools.first()).not.toHaveClass(/tool-error/);
  await expect(tools.nth(1)).toHaveClass(/tool-error/);
  await expect(tools.nth(1)).toContainText("Tool error");
});

test("at 360 px the chat comes first and the composer stays small; settings show plain labels with the API name", async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  const chat = await page.locator("main.chat").boundingBox();
  const side = await page.locator("aside.side").boundingBox();
  expect(chat!.y).toBeLessThan(side!.y);
  const composer = await page.locator("#composer").boundingBox();
  expect(composer!.height).toBeLessThan(150);
  await page.locator("#settings summary").click();
  await expect(page.getByLabel(/Randomness/)).toHaveValue("0.7");
  await expect(page.locator("#settings label", { hasText: "Randomness" }).locator("code")).toHaveText("temperature");
});

test("the header says when the page is running offline", async ({ page, context }) => {
  await page.goto("/");
  await expect(page.locator("#offline")).toBeHidden();
  await context.setOffline(true);
  await expect(page.locator("#offline")).toHaveText("Offline: running from this browser's cache");
  await context.setOffline(false);
  await expect(page.locator("#offline")).toBeHidden();
});

test("settings, the chosen model and the chat survive a reload", async ({ page }) => {
  await openWithTinyModel(page);
  await page.locator("#settings summary").click();
  await page.locator('input[name="temperature"]').fill("0.3");
  await page.locator('input[name="max_tokens"]').fill("5");
  await page.getByLabel("Demo tools").check();
  await page.getByLabel("Message").fill("Remember me");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#transcript li.assistant .stats").last()).toContainText("finish:", { timeout: 60_000 });
  await page.reload();
  await expect(page.locator('input[name="temperature"]')).toHaveValue("0.3");
  await expect(page.locator('input[name="max_tokens"]')).toHaveValue("5");
  await expect(page.getByLabel("Demo tools")).toBeChecked();
  await expect(page.locator("#model")).toHaveValue("tiny-random-qwen3");
  await expect(page.locator("#transcript li.user")).toHaveText(/Remember me/);
  await expect(page.locator("#transcript li.assistant .stats")).toHaveText("from your last visit");
  await page.getByRole("button", { name: "Clear" }).click();
  await page.reload();
  await expect(page.locator("#transcript li")).toHaveCount(0);
  await expect(page.locator("#empty")).toBeVisible();
});

test("the token tooltip marks the hovered token and sits above it, leaving the stats line readable", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openWithTinyModel(page);
  await page.getByRole("button", { name: "Play a scripted demo conversation" }).click();
  await expect(page.locator("#transcript li.assistant .stats").last()).toContainText("scripted", { timeout: 20_000 });
  const token = page.locator("#transcript .token").nth(5);
  await token.hover();
  await expect(token).toHaveClass(/hovered/);
  await expect(page.locator("#token-tip")).toBeVisible();
  const tip = (await page.locator("#token-tip").boundingBox())!;
  const box = (await token.boundingBox())!;
  expect(tip.y + tip.height).toBeLessThanOrEqual(box.y);
  await page.locator("#chat-model").hover();
  await expect(page.locator("#token-tip")).toBeHidden();
  await expect(page.locator("#transcript .token.hovered")).toHaveCount(0);
});
