/**
 * The real model (SmolLM2-135M-Instruct, built by the real-model scripts into the shared cache and
 * served by the dev server under /models/) on one prompt in Firefox and WebKit: transformers' greedy
 * ids from truth.json, on ONNX WASM q4 (the exact Q4_1 graph). Chromium runs every case in the
 * Playwright suite. Skipped, saying so, where the model is not built.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { ChatCompletion } from "../../src/protocol/index.js";
import { baseUrl } from "./drivers/launch.js";
import { eachBrowser } from "./each-browser.js";

const CACHE = join(process.env.WEBGPU_CHAT_ENGINE_CACHE ?? join(homedir(), ".cache", "webgpu-chat-engine"), "smollm2");
const ONNX = "/models/SmolLM2-135M-Instruct-onnx/";
const built = existsSync(join(CACHE, "truth.json")) && existsSync(join(CACHE, "onnx", ".ready"));
/** Absolute nats, as the real-model spec states it: float32 summation order moves a logprob ~1e-4. */
const LOGPROB_TOL = 5e-3;

interface TruthCase {
  name: string;
  messages: { role: string; content: string }[];
  max_tokens: number;
  prompt_ids: number[];
  completion_ids: number[];
  finish_reason: string;
  top_logprobs: [id: number, logprob: number][][];
}

if (!built) console.log(`real model not built in ${CACHE}: its cross-browser case is skipped`);

eachBrowser(
  "the real model on one prompt",
  (ctx) => {
    test.skipIf(!built)("SmolLM2 q4 on WASM: transformers' greedy ids, logprobs within 5e-3, finish reason", async () => {
      const served = await fetch(new URL(ONNX + "config.json", baseUrl())).then(
        (r) => r.ok,
        () => false,
      );
      expect(served, `the dev server does not serve ${ONNX} (the real-model Vite plugin, vite.config.ts)`).toBe(true);
      const truth = JSON.parse(readFileSync(join(CACHE, "truth.json"), "utf8")) as { eos_token_id: number; cases: TruthCase[] };
      const c = truth.cases[0]!;
      const tab = await ctx.tab("/test/browser/support/onnx.html");
      const record = { model_id: "smollm2-q4", model: ONNX, runner: "onnx", dtype: "q4", device: "wasm" };
      expect(await tab.run(`window.onnx.engine.load(${JSON.stringify(record)}).then((r) => r.loaded ?? r)`)).toEqual([
        "smollm2-q4",
      ]);
      const body = {
        model: "smollm2-q4",
        messages: c.messages,
        temperature: 0,
        max_tokens: c.max_tokens,
        logprobs: true,
        return_token_ids: true,
      };
      const r = await tab.run<ChatCompletion>(`window.onnx.engine.create(${JSON.stringify(body)})`);
      expect(r.prompt_token_ids).toEqual(c.prompt_ids);
      // As vLLM, token_ids end with the eos id when the model stopped on it.
      const ids = c.finish_reason === "stop" ? [...c.completion_ids, truth.eos_token_id] : c.completion_ids;
      expect(r.choices[0]!.token_ids).toEqual(ids);
      expect(r.choices[0]!.finish_reason).toBe(c.finish_reason);
      r.choices[0]!.logprobs!.content!.forEach((step, i) =>
        expect(Math.abs(step.logprob - c.top_logprobs[i]![0]![1])).toBeLessThan(LOGPROB_TOL),
      );
    });
  },
  ["firefox", "webkit"],
);
