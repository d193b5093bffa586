import { expect, test, type Page } from "@playwright/test";
import { ask, chooseTinyModel, openWithTinyModel } from "./support/demo-page.js";

/** Record every text #progress-text shows (the load replaces it when done). */
async function watchProgress(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { progressTexts: string[] };
    w.progressTexts = [];
    const el = document.getElementById("progress-text")!;
    new MutationObserver(() => void w.progressTexts.push(el.textContent ?? "")).observe(el, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  return () => page.evaluate(() => (window as unknown as { progressTexts: string[] }).progressTexts);
}

async function load(page: Page): Promise<void> {
  await chooseTinyModel(page);
  await page.getByRole("button", { name: "Load" }).click();
  await expect(page.locator("#load-status")).toHaveText("tiny-random-qwen3 is ready.", { timeout: 90_000 });
}

const tinyOption = (page: Page) => page.locator("#model option[value='tiny-random-qwen3']");

test("stored models: a load shows bytes and time left, the panel lists the model with its size and the picker says stored; delete empties both, the next load downloads again", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.locator("#storage-empty")).toBeVisible();
  await expect(tinyOption(page)).not.toContainText("stored");
  const progress = await watchProgress(page);
  await load(page);
  const texts = await progress();
  expect(texts.some((t) => /^Downloading: [\d.]+ MB of [\d.]+ MB · [\d.]+ MB\/s · about .+ left/.test(t))).toBe(true);
  const row = page.locator("#cached-models li");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("tiny-random-qwen3");
  await expect(row).toContainText("50.6 MB · complete · CPU · used just now");
  await expect(page.locator("#storage-summary")).toContainText(/used of [\d.]+ (GB|MB) this site may use \(models: 50\.6 MB\)/);
  await expect(tinyOption(page)).toContainText("stored");

  await page.getByRole("button", { name: "Delete tiny-random-qwen3 (50.6 MB)" }).click();
  await expect(page.locator("#storage-status")).toHaveText(
    "Deleted tiny-random-qwen3: 50.6 MB freed. Loading it again downloads it again.",
  );
  await expect(row).toHaveCount(0);
  await expect(page.locator("#storage-empty")).toBeVisible();
  await expect(tinyOption(page)).not.toContainText("stored");
  const again = await watchProgress(page);
  await load(page);
  expect((await again()).some((t) => t.startsWith("Downloading: "))).toBe(true);
  await expect(tinyOption(page)).toContainText("stored");
  // The model still answers after all that.
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("4");
  await ask(page, "Still there?");
});

test("storage quota too small: the load fails with the storage error in words, and nothing is stored", async ({ page }) => {
  await page.goto("/");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: new URL(page.url()).origin, quotaSize: 20_000_000 });
  await chooseTinyModel(page);
  await page.getByRole("button", { name: "Load" }).click();
  const status = page.locator("#load-status");
  await expect(status).toContainText("Not loaded: not enough storage for this model (needs 39.2 MB,", { timeout: 90_000 });
  await expect(status).toHaveClass("error");
  await expect(status).toContainText("Nothing of it was kept.");
  await expect(page.locator("#cached-models li")).toHaveCount(0);
  // No model: the chat says so (a message sent now would wait in the box for a load).
  await expect(page.locator("#chat-model")).toContainText("No model loaded");
});

test("the scripted conversation plays without a model: tool calls with real tool results, a character split over two tokens shows merged with its bytes in the tooltip, a code block with copy", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Play a scripted demo conversation" }).click();
  await expect(page.locator("#transcript li.notice")).toContainText("No model ran.");
  await expect(page.locator("#transcript li.tool")).toHaveText([
    'Toolconvert_units({"value":10,"from":"km","to":"mi"}) → 6.21371 mi',
    'Toolcalculator({"expression":"12*7"}) → 84',
  ]);
  const answer = page.locator("#transcript li.assistant").nth(1).locator(".body");
  await expect(answer).toHaveText("A 10 km run is ≈ 6.21 miles, and 12 × 7 is 84.");
  const merged = answer.locator(".token[data-tokens='2']");
  await expect(merged).toHaveText(" ≈");
  await merged.hover();
  await expect(page.locator("#token-tip")).toContainText('token 1 of 2: " <0xE2><0x89>"  41.0%');
  await expect(page.locator("#token-tip")).toContainText('token 2 of 2: "<0x88>"  99.0%');
  await expect(page.locator("#transcript .codeblock code")).toContainText("const product = 12 * 7; // 84");
  await expect(page.getByRole("button", { name: "Copy code" })).toBeVisible();
  await expect(page.locator("#chat-model")).toContainText("No model loaded");
});

test("logprobs on model output with a 4-byte character and right-to-left text: no broken glyph, the tooltip isolates each token", async ({
  page,
}) => {
  const ANSWER = "𓂀 مرحبا بكم";
  await openWithTinyModel(page);
  await page.getByLabel("Color tokens by probability").check();
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("40");
  await page.locator('select[name="format"]').selectOption("choice");
  await page.locator("#format-spec").fill(ANSWER);
  await ask(page, "Say it");
  const body = page.locator("#transcript li.assistant .body");
  // The text tokens read as the answer; the stop token the output hides shows as a special token after it.
  expect((await body.locator(".token:not(.special)").allTextContents()).join("")).toBe(ANSWER);
  await expect(body.locator(".token.special")).toHaveText([/^<\|(endoftext|im_end)\|>$/]);
  expect(await body.textContent()).not.toContain("\uFFFD");
  // The hieroglyph (F0 93 82 80) is no token of the vocabulary: it comes in pieces and shows merged.
  const glyph = body.locator(".token", { hasText: "𓂀" });
  expect(Number(await glyph.getAttribute("data-tokens"))).toBeGreaterThanOrEqual(2);
  await body
    .locator(".token", { hasText: /[\u0600-\u06FF]/ })
    .first()
    .hover();
  const tip = page.locator("#token-tip");
  await expect(tip).toBeVisible();
  await expect(tip).toHaveAttribute("dir", "ltr");
  expect((await tip.textContent())!.startsWith("p = ")).toBe(true);
  expect(await tip.locator("bdi").count()).toBeGreaterThanOrEqual(5);
  await page.screenshot({ path: "test-results/screenshots/logprobs-rtl.png" });
});
