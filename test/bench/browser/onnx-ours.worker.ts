/// <reference lib="webworker" />
/**
 * Our side of the ONNX generate bench: the engine's own generate loop (generateChoice: TokenStep's
 * processors, greedy pick, detokenizer and stop rules, a yield per token) over a cold PrefixFeeder
 * prefill, on the OnnxRunner or (for the CPU row) on the reference runner with random weights of
 * the same shape.
 */
import * as Comlink from "comlink";
import { generateChoice } from "../../../src/engine/decode/generate.js";
import { assembleModel, type LoadedModel } from "../../../src/engine/model.js";
import { loadModelFiles } from "../../../src/models/files.js";
import { normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { cachingFetch, OnnxRunner, type OnnxDtype } from "../../../src/runners/onnx/index.js";
import type { ModelRunner } from "../../../src/runners/runner.js";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";
import { randomSafetensors } from "../../../src/tiny-model/random-model.js";
import type { GenerateDevice, GenerateRun } from "./onnx-generate.js";

let model: LoadedModel | undefined;

const api = {
  /** `reference`: the CPU reference runner on the folder's config.json with seeded random weights (the folder has no safetensors). */
  async load(
    folderUrl: string,
    device: GenerateDevice | "reference",
    dtype: OnnxDtype = "fp32",
    warmUp = false,
  ): Promise<string> {
    await model?.runner.dispose();
    let runner: ModelRunner;
    if (device === "reference") {
      const config = (await (await fetch(folderUrl + "config.json")).json()) as Record<string, unknown>;
      if (config.architectures === null) delete config.architectures; // transformers 5 writes null; the reference reader wants a list or nothing
      runner = ReferenceRunner.fromBytes(config, randomSafetensors(config, 1));
    } else {
      runner = await OnnxRunner.load(folderUrl, { dtype, device, warmUp, fetch: cachingFetch() });
    }
    model = await assembleModel("bench", runner, await loadModelFiles(folderUrl));
    return device === "reference" ? "reference runner (CPU, JS)" : (runner as OnnxRunner).deviceReason;
  },

  /** Greedy, exactly `newTokens` new tokens (min_tokens masks EOS, as transformers.js's min_new_tokens does). */
  async generate(prompt: number[], newTokens: number): Promise<GenerateRun> {
    const m = model!;
    const body = { messages: [{ role: "user", content: "x" }], temperature: 0, max_tokens: newTokens, min_tokens: newTokens };
    const req = normalizeRequest(validateRequest(body), {
      models: ["bench"],
      contextWindow: m.runner.contextWindow,
      vocabSize: m.runner.vocabSize,
    });
    const ids = Int32Array.from(prompt);
    const t0 = performance.now();
    m.feeder.invalidate(); // a cold prefill every run
    const { logits } = await m.feeder.prefill(ids, null);
    const tokens: number[] = [];
    const stamps: number[] = [];
    for await (const ev of generateChoice({
      model: m,
      req,
      prompt: ids,
      firstLogits: logits,
      seed: 0,
      signal: new AbortController().signal,
      badWordIds: [],
      contextWindow: m.runner.contextWindow,
      skipSpecialTokens: true,
    }))
      if (ev.type === "token") {
        stamps.push(performance.now() - t0);
        tokens.push(ev.tokenId);
      }
    return { stamps, tokens };
  },
};

export type OursWorker = typeof api;
Comlink.expose(api);
