/**
 * A real trained model, SmolLM2-135M-Instruct, answers like transformers on every runner: greedy
 * token ids equal the ones transformers recorded at build time (truth.json, scripts/real-model/),
 * logprobs within a stated tolerance, finish_reason "stop" on the model's own <|im_end|>.
 * The folders are built by scripts/real-model/build.sh and served by its Vite plugin.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { REAL_MODEL_CACHE } from "../../scripts/real-model/serve.js";
import { ISOLATION_COOKIE } from "../../scripts/isolation-cookie.js";
import type { ChatCompletion } from "../../src/protocol/index.js";
import type { ModelRecord } from "../../src/runners/registry.js";
import type { LoadProgress } from "../../src/models/progress.js";

interface TruthCase {
  name: string;
  messages: { role: string; content: string }[];
  max_tokens: number;
  prompt_ids: number[];
  completion_ids: number[];
  text: string;
  finish_reason: "stop" | "length";
  top_logprobs: [id: number, logprob: number][][];
}

const truthFile = join(REAL_MODEL_CACHE, "truth.json");
const built = existsSync(truthFile) && existsSync(join(REAL_MODEL_CACHE, "onnx", ".ready"));
const truth = built
  ? (JSON.parse(readFileSync(truthFile, "utf8")) as { eos_token_id: number; cases: TruthCase[] })
  : { eos_token_id: -1, cases: [] };
const cases = truth.cases;
const ONNX = "/models/SmolLM2-135M-Instruct-onnx/";
const HF = "/models/SmolLM2-135M-Instruct-hf/";

/**
 * Logprob tolerance (absolute, nats) against transformers' float32 log-softmax: float32 sums in a
 * different order (WASM SIMD, the reference runner's loops, MatMulNBits) move a logprob by ~1e-4
 * here; 5e-3 leaves room without hiding a wrong weight (those move logprobs by tenths).
 */
const LOGPROB_TOL = 5e-3;

test.beforeAll(() => {
  expect(built, `the real model is not built: run bash scripts/real-model/build.sh (cache ${REAL_MODEL_CACHE})`).toBe(true);
});

/** Open the ONNX harness page and load `record` in its engine worker; returns the load's progress. */
async function openOnnxHarness(page: Page, record: ModelRecord): Promise<LoadProgress[]> {
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  await page.goto("/test/browser/support/onnx.html");
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  const loaded = await page.evaluate((r) => window.onnx.engine.load(r), record);
  expect(loaded).toMatchObject({ loaded: [record.model_id] });
  return "progress" in loaded ? loaded.progress : [];
}

async function greedy(page: Page, model: string, c: TruthCase, maxTokens: number): Promise<ChatCompletion> {
  const body = {
    model,
    messages: c.messages,
    temperature: 0,
    max_tokens: maxTokens,
    logprobs: true,
    top_logprobs: 5,
    return_token_ids: true,
  };
  const r = await page.evaluate((b) => window.onnx.engine.create(b), body);
  if ("error" in r) throw new Error(JSON.stringify(r.error));
  return r;
}

/** transformers' reply ids; as vLLM, token_ids end with the eos id when the model stopped on it. */
const replyIds = (c: TruthCase) => (c.finish_reason === "stop" ? [...c.completion_ids, truth.eos_token_id] : c.completion_ids);

/**
 * The reply is transformers' own for its first `tokens` ids: prompt ids, completion ids, logprobs
 * within LOGPROB_TOL, and when the whole reply ran, its finish reason and text.
 */
function expectTruth(r: ChatCompletion, c: TruthCase, tokens: number): number {
  const choice = r.choices[0]!;
  const ids = replyIds(c);
  expect(r.prompt_token_ids, `${c.name}: prompt ids`).toEqual(c.prompt_ids);
  expect(choice.token_ids, `${c.name}: greedy ids`).toEqual(ids.slice(0, tokens));
  if (tokens === ids.length) {
    expect(choice.finish_reason, c.name).toBe(c.finish_reason);
    if (c.finish_reason === "stop") expect(choice.message.content).toBe(c.text);
  }
  const content = choice.logprobs!.content!;
  let worst = 0;
  content.forEach((step, i) => {
    const want = c.top_logprobs[i]!;
    expect(Math.abs(step.logprob - want[0]![1]), `${c.name} step ${i} logprob`).toBeLessThan(LOGPROB_TOL);
    const got = step.top_logprobs.map((t) => t.logprob);
    // Ranks 2-5 may swap where two logprobs are within the tolerance: compare them as sorted values.
    want.forEach(([, lp], k) => {
      const d = Math.abs(got[k]! - lp);
      expect(d, `${c.name} step ${i} top ${k}`).toBeLessThan(LOGPROB_TOL);
      worst = Math.max(worst, d);
    });
  });
  // The largest difference, in the report (docs/real-model.md quotes it).
  test.info().annotations.push({ type: "max logprob diff (nats)", description: worst.toExponential(2) });
  console.log(`${test.info().title}: max |logprob - transformers'| ${worst.toExponential(2)} nats`);
  return worst;
}

/** [name, record, tokens per reply that runs to length (the JS reference runner is the slow one)] */
const runners: [name: string, record: ModelRecord, lengthTokens: number][] = [
  ["ONNX WASM fp32", { model_id: "smollm2-fp32", model: ONNX, runner: "onnx", dtype: "fp32", device: "wasm" }, 16],
  ["ONNX WASM q4 (exact Q4_1 graph)", { model_id: "smollm2-q4", model: ONNX, runner: "onnx", dtype: "q4", device: "wasm" }, 16],
  ["reference runner (safetensors)", { model_id: "smollm2-ref", model: HF, runner: "reference" }, 6],
];

for (const [name, record, lengthTokens] of runners) {
  test.describe(name, () => {
    let page: Page;
    test.beforeAll(async ({ browser }) => {
      test.setTimeout(600_000); // a first load copies the graph (194-540 MB) into the Cache API
      page = await browser.newPage();
      await openOnnxHarness(page, record);
    });
    test.afterAll(() => page.close());

    for (const c of cases) {
      test(`${c.name}: transformers' greedy ids and logprobs`, async () => {
        test.setTimeout(240_000);
        // Replies that stop on <|im_end|> run whole (finish_reason is checked); the others to lengthTokens.
        const whole = c.finish_reason === "stop";
        const tokens = whole ? replyIds(c).length : Math.min(lengthTokens, c.completion_ids.length);
        expectTruth(await greedy(page, record.model_id, c, whole ? c.max_tokens : tokens), c, tokens);
      });
    }
  });
}

test.describe("ONNX WASM q4 on a cross-origin-isolated page (threads)", () => {
  test("gets more than one onnxruntime thread and answers token-exact", async ({ page }) => {
    test.setTimeout(600_000);
    // The dev server isolates (COOP + COEP) every response to a browser carrying this cookie.
    await page.context().addCookies([{ ...ISOLATION_COOKIE, url: new URL("/", test.info().project.use.baseURL).href }]);
    const record: ModelRecord = { model_id: "smollm2-q4-threads", model: ONNX, runner: "onnx", dtype: "q4", device: "wasm" };
    const progress = await openOnnxHarness(page, record);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const ready = progress.find((p) => p.stage === "ready")?.text;
    // This machine has 2 cores; a 1-core machine cannot show threads.
    expect(cores).toBeGreaterThan(1);
    expect(ready).toMatch(new RegExp(`, ${Math.min(4, cores)} threads$`));
    for (const c of [cases[0]!, cases.find((x) => x.finish_reason === "stop")!]) {
      const whole = c.finish_reason === "stop";
      const tokens = whole ? replyIds(c).length : Math.min(16, c.completion_ids.length);
      expectTruth(await greedy(page, record.model_id, c, whole ? c.max_tokens : tokens), c, tokens);
    }
  });
});

test("at least one truth case ends on the model's own <|im_end|>, so finish_reason stop is tested", () => {
  expect(cases.length).toBeGreaterThanOrEqual(5);
  expect(cases.some((c) => c.finish_reason === "stop")).toBe(true);
});

test.describe("catalog id through createEngine", () => {
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    page.on("pageerror", (e) => console.error("pageerror:", e.message));
    await page.goto("/test/browser/support/real-model.html");
    await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  });
  test.afterAll(() => page.close());

  test("SmolLM2-135M-Instruct-q4-onnx from a Hub-layout server on WebGPU (SwiftShader): transformers' first tokens", async () => {
    test.setTimeout(1_200_000); // SwiftShader: seconds a token, minutes on a busy machine
    // No local folder under /nowhere/, so the loader goes to <hubUrl>/<repo>/resolve/<revision>/.
    const started = await page.evaluate(
      (hub) => window.real.start({ model: "SmolLM2-135M-Instruct-q4-onnx", modelBaseUrl: "/nowhere/", hubUrl: hub }),
      new URL("/hub/", page.url()).href,
    );
    expect(started).toMatchObject({ ok: true });
    expect(JSON.stringify(started)).toMatch(/WebGPU/);
    const c = cases[0]!;
    const tokens = 3; // SwiftShader decodes at seconds a token
    const r = await page.evaluate((b) => window.real.create(b), {
      model: "SmolLM2-135M-Instruct-q4-onnx",
      messages: c.messages,
      temperature: 0,
      max_tokens: tokens,
      logprobs: true,
      top_logprobs: 5,
      return_token_ids: true,
    });
    if ("error" in r) throw new Error(JSON.stringify(r.error));
    expectTruth(r, c, tokens);
  });

  test("an unknown id is a 404 that names the closest catalog id", async () => {
    const r = await page.evaluate(() => window.real.start({ model: "SmolLM2-135M-Instruct-q4" }));
    expect(r).toMatchObject({ error: { status: 404, param: "model", code: "model_not_found" } });
    expect(JSON.stringify(r)).toContain('Did you mean \\"SmolLM2-135M-Instruct-q4-onnx\\"');
  });
});
