/**
 * Apps that install the packed package (or the repository as a git dependency) with no bundler configuration answer through the real
 * engine on the tiny model: one completion, one stream, and the official openai client through
 * engine.fetch. Every app gives the same seeded tokens; Vite and webpack load the worker file
 * they emitted, esbuild (which emits none) the copy inside its bundle.
 */
import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_TINY_MODEL_DIR, TINY_MODEL_FILES } from "../fixtures/make-tiny-model.js";
import { CONSUMERS_DIR, MODELS_DIR, PORTS } from "./paths.js";

interface AppResult {
  content: string;
  finish: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  streamed: string;
  chunks: number;
  streamFinish: string;
  clientContent: string;
}

/** The tiny model's greedy-free seeded answer (seed 7, 12 tokens) to "Hello". */
const EXPECTED = "-thumb".repeat(12);

async function runApp(page: Page, port: number): Promise<{ result: AppResult; workers: string[] }> {
  const workers: string[] = [];
  page.on("worker", (w) => workers.push(w.url()));
  await page.goto(`http://127.0.0.1:${port}/`);
  await expect(page.locator("#out")).not.toHaveText("loading", { timeout: 90_000 });
  const text = (await page.locator("#out").textContent()) ?? "";
  expect(text).not.toMatch(/^error/);
  return { result: JSON.parse(text) as AppResult, workers };
}

function expectAnswers(r: AppResult): void {
  expect(r.content).toBe(EXPECTED);
  expect(r.finish).toBe("length");
  expect(r.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 });
  expect(r.streamed).toBe(EXPECTED);
  expect(r.streamFinish).toBe("length");
  expect(r.chunks).toBeGreaterThanOrEqual(13); // a role chunk, 12 tokens, the usage chunk
  expect(r.clientContent).toBe(EXPECTED);
}

for (const [name, port] of [
  ["Vite dev server", PORTS.viteDev],
  ["Vite build + preview", PORTS.vitePreview],
  ["webpack 5 build", PORTS.webpack],
  ["git dependency (npm install git+file://, prepare built it) + Vite build", PORTS.git],
] as const) {
  test(`${name}: the emitted worker answers`, async ({ page }) => {
    const { result, workers } = await runApp(page, port);
    expectAnswers(result);
    expect(workers.length).toBe(1);
    expect(workers[0]).toMatch(/^http:/);
  });
}

test("esbuild bundle: the inline worker answers when no worker file was emitted", async ({ page }) => {
  const { result, workers } = await runApp(page, PORTS.esbuild);
  expectAnswers(result);
  expect(workers.at(-1)).toMatch(/^blob:/);
});

test("npx webgpu-chat-engine tiny-model wrote the repository's tiny model byte for byte; --help explains", () => {
  const hash = (dir: string, f: string) =>
    createHash("sha256")
      .update(readFileSync(join(dir, f)))
      .digest("hex");
  for (const f of TINY_MODEL_FILES) {
    expect(hash(join(MODELS_DIR, "tiny-random-qwen3"), f), f).toBe(hash(DEFAULT_TINY_MODEL_DIR, f));
  }
  const help = execFileSync("npx", ["--no-install", "webgpu-chat-engine", "--help"], { cwd: CONSUMERS_DIR, encoding: "utf8" });
  expect(help).toContain("Usage: webgpu-chat-engine tiny-model <dir>");
  expect(help).toContain("--seed N");
});
