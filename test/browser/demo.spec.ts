import { expect, test, type Page } from "@playwright/test";
import { ask, openWithTinyModel } from "./support/demo-page.js";

/** Record the distinct texts the last answer goes through while it streams. */
async function watchLastAnswer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { states: string[] };
    w.states = [];
    new MutationObserver(() => {
      const body = document.querySelector("#transcript li.assistant:last-of-type .body");
      const t = body?.textContent ?? "";
      if (t && w.states.at(-1) !== t) w.states.push(t);
    }).observe(document.getElementById("transcript")!, { subtree: true, childList: true, characterData: true });
  });
}

test.describe.configure({ mode: "serial" });

test("pick the tiny model, send a message: the answer streams in, then usage and tokens/s", async ({ page }) => {
  await openWithTinyModel(page);
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("24");
  await page.locator('input[name="seed"]').fill("7");
  await expect(page.locator("#request-json")).toContainText('"max_tokens": 24');
  await watchLastAnswer(page);
  await ask(page, "Hello there");
  const states = await page.evaluate(() => (window as unknown as { states: string[] }).states);
  expect(new Set(states).size).toBeGreaterThanOrEqual(3);
  await expect(page.locator("#transcript li.assistant .stats")).toContainText(/24 tokens, [\d.]+ tokens\/s/);
  await expect(page.locator("#transcript li.assistant .stats")).toContainText(/first token after \d+ ms/);
  await page.screenshot({ path: "test-results/demo.png", fullPage: true });
});

test("stop ends a stream mid-way and the next message works", async ({ page }) => {
  await openWithTinyModel(page);
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("400");
  await page.getByLabel("Message").fill("Talk for a long time");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#transcript li.assistant .body")).not.toBeEmpty();
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.locator("#transcript li.assistant .stats")).toContainText("finish: abort");
  await page.locator('input[name="max_tokens"]').fill("8");
  await ask(page, "And now?");
  await expect(page.locator("#transcript li.assistant .stats").last()).toContainText("finish: length");
});

test("logprobs: tokens carry probabilities and hovering one shows its alternatives", async ({ page }) => {
  await openWithTinyModel(page);
  await page.getByLabel("Color tokens by probability").check();
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("12");
  await ask(page, "Colors please");
  const tokens = page.locator("#transcript li.assistant .token");
  expect(await tokens.count()).toBeGreaterThan(3);
  const prob = Number(await tokens.first().getAttribute("data-prob"));
  expect(prob).toBeGreaterThan(0);
  expect(prob).toBeLessThanOrEqual(1);
  await tokens.nth(1).hover();
  await expect(page.locator("#token-tip")).toBeVisible();
  await expect(page.locator("#token-tip")).toContainText(/p = [\d.]+%/);
  expect((await page.locator("#token-tip").textContent())!.split("\n").length).toBeGreaterThanOrEqual(6); // p + top 5
});

test("tools with tool_choice required: the call and its result appear and the conversation continues", async ({ page }) => {
  await openWithTinyModel(page);
  await page.getByLabel("Demo tools").check();
  await page.locator("#settings summary").click();
  await page.locator('select[name="tool_choice"]').selectOption("required");
  await page.locator('input[name="max_tokens"]').fill("120");
  await page.locator('input[name="seed"]').fill("3");
  await expect(page.locator("#request-json")).toContainText('"tool_choice": "required"');
  await page.getByLabel("Message").fill("What is 2+2?");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#transcript li.tool").first()).toContainText(
    // A random model's arguments may not compute: a failed call shows as "Tool error" with the reason.
    /^Tool( error)?(calculator|convert_units|current_time|lookup)\(\{.*\}\) → /,
    { timeout: 90_000 },
  );
  // After the tool result the model answers again (tool_choice auto), and the turn ends.
  await expect(page.locator("#transcript li.assistant").nth(1).locator(".stats")).toContainText("finish:", { timeout: 90_000 });
  await expect(page.locator("#transcript li.assistant").first().locator(".stats")).toContainText("finish: tool_calls");
});

test("HTML in a message or in model output renders as text: no element, no dialog", async ({ page }) => {
  await openWithTinyModel(page);
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("60");
  // The choice constraint makes the model answer with HTML.
  await page.locator('select[name="format"]').selectOption("choice");
  await page.locator("#format-spec").fill("<img src=x onerror=alert(1)>\n<script>alert(2)</script>");
  await ask(page, "<img src=x onerror=alert(1)>");
  await expect(page.locator("#transcript li.user")).toContainText("<img src=x onerror=alert(1)>");
  await expect(page.locator("#transcript li.assistant .body")).toContainText(
    /<img src=x onerror=alert\(1\)>|<script>alert\(2\)<\/script>/,
  );
  expect(await page.locator("#transcript img, #transcript script").count()).toBe(0);
});

test("regenerate replaces the last answer, edit puts the last message back; nothing overflows at 360 px", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await openWithTinyModel(page);
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("6");
  await ask(page, "First question");
  await page.getByRole("button", { name: "Regenerate" }).click();
  await expect(page.locator("#transcript li.assistant .stats")).toContainText("finish:", { timeout: 60_000 });
  await expect(page.locator("#transcript li.assistant")).toHaveCount(1);
  await expect(page.locator("#transcript li.user")).toHaveCount(1);
  await page.getByRole("button", { name: "Edit last" }).click();
  await expect(page.locator("#transcript li")).toHaveCount(0);
  await expect(page.getByLabel("Message")).toHaveValue("First question");
  await expect(page.getByLabel("Message")).toBeFocused();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
});
