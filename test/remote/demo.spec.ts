/**
 * The demo app's "Remote server" entry against the shared tiny vLLM (through the suite's
 * same-origin proxy, /vllm-tiny): a wrong key and a server that does not allow this origin show
 * their typed errors; the right key lists the served model, and the chat streams its answer, with
 * token probabilities, naming the model that answered. The key stays in this tab's sessionStorage.
 */
import { expect, test } from "@playwright/test";
import { ask } from "../browser/support/demo-page.js";
import { API_KEY, SERVED, TINY_URL, waitReady } from "./servers.js";

test.beforeAll(async () => {
  test.setTimeout(960_000);
  await waitReady(TINY_URL, Number(process.env.VLLM_WAIT_S ?? 900) * 1000);
});

test("remote server: errors are typed and visible; the right key lists the model and the chat streams its answer with logprobs", async ({
  page,
}) => {
  test.setTimeout(300_000);
  page.on("dialog", (d) => {
    throw new Error(`unexpected dialog: ${d.message()}`);
  });
  await page.goto("/");
  await expect(page.locator("body[data-models=ready]")).toBeAttached({ timeout: 60_000 });
  await expect(page.locator("#remote-box")).toBeHidden();
  await page.locator("#model").selectOption("remote-server");
  await expect(page.locator("#remote-box")).toBeVisible();
  const status = page.locator("#remote-status");

  // A wrong key: vLLM's 401, typed, and without the key.
  await page.getByLabel("Server URL").fill("/vllm-tiny/v1");
  await page.getByLabel("API key").fill("sk-wrong-key");
  await page.getByRole("button", { name: "List the server's models" }).click();
  await expect(status).toContainText("401 invalid_api_key", { timeout: 30_000 });
  await expect(status).toContainText("refused the API key");
  await expect(status).not.toContainText("sk-wrong-key");
  await expect(status).toHaveClass(/error/);
  // Load with nothing listed says so, and loads nothing.
  await page.getByRole("button", { name: "Load" }).click();
  await expect(page.locator("#load-status")).toContainText("could not be listed");

  // vLLM directly, from this page's other origin: vLLM 0.32 allows no origin unless told (--allowed-origins).
  await page.getByLabel("Server URL").fill(`${TINY_URL}/v1`);
  await page.getByLabel("API key").fill(API_KEY);
  await page.getByRole("button", { name: "List the server's models" }).click();
  await expect(status).toContainText("503 remote_unreachable", { timeout: 30_000 });
  await expect(status).toContainText("--allowed-origins");

  // Through the proxy with the key: the served model is listed, loads, and answers in a stream.
  await page.getByLabel("Server URL").fill("/vllm-tiny/v1");
  await page.getByRole("button", { name: "List the server's models" }).click();
  await expect(status).toHaveText("1 model served.", { timeout: 30_000 });
  await expect(page.locator("#remote-model")).toHaveValue(SERVED);
  await page.getByRole("button", { name: "Load" }).click();
  await expect(page.locator("#load-status")).toHaveText(`${SERVED} is ready.`, { timeout: 180_000 });
  await expect(page.locator("#chat-model")).toHaveText(`Model: ${SERVED}`);

  await page.locator("#show-logprobs").check();
  await page.locator("#settings summary").click();
  await page.locator('input[name="max_tokens"]').fill("12");
  await page.locator('select[name="reasoning"]').selectOption("off"); // the random model never ends a thought
  await ask(page, "Name three colours.");
  const answer = page.locator("#transcript li.assistant").last();
  await expect(answer.locator(".stats")).toContainText(`answered by ${SERVED}`);
  await expect(answer.locator(".stats")).toContainText(/first token after \d+ ms/); // chunks came as a stream
  await expect(answer.locator(".stats")).toContainText("12 tokens");
  await expect(answer.locator(".body")).not.toBeEmpty();
  // Logprobs from vLLM: each token a span with its probability.
  expect(await answer.locator(".token").count()).toBeGreaterThan(0);
  const probs = await answer.locator(".token").evaluateAll((ts) => ts.map((t) => Number((t as HTMLElement).dataset.prob)));
  expect(probs.every((p) => p > 0 && p <= 1)).toBe(true);

  // The key is kept for this tab only.
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(API_KEY);
  expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage }))).toContain(API_KEY);
  await page.reload();
  await expect(page.locator("body[data-models=ready]")).toBeAttached({ timeout: 60_000 });
  await expect(page.locator("#model")).toHaveValue("remote-server");
  await expect(page.getByLabel("API key")).toHaveValue(API_KEY);
});
