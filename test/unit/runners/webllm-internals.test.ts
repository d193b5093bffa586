/**
 * The web-llm runner reads private members of web-llm 0.2.86 (src/runners/webllm/pipeline.ts) and
 * mirrors two of its rules (window.ts; the stand-in's KV capacity). This fails when an upgrade
 * changes any of them: re-read web-llm's llm_chat.ts / engine.ts, adjust, then update the pin.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const lib = dirname(createRequire(import.meta.url).resolve("@mlc-ai/web-llm"));
const read = (f: string) => readFileSync(join(lib, f), "utf8").replace(/\s+/g, " ");
const code = read("index.js");
const pipelineTypes = read("llm_chat.d.ts");
const engineTypes = read("engine.d.ts");
const pkg = JSON.parse(readFileSync(join(lib, "..", "package.json"), "utf8")) as { version: string };
const ours = JSON.parse(readFileSync("package.json", "utf8")) as { devDependencies: Record<string, string> };

describe("web-llm internals the runner relies on", () => {
  it("the version is pinned exactly", () => {
    expect(pkg.version).toBe("0.2.86");
    expect(ours.devDependencies["@mlc-ai/web-llm"]).toBe("0.2.86"); // bundled into dist/, so a dev dependency
  });

  it("LLMChatPipeline has the members pipeline.ts reads", () => {
    for (const member of [
      "private tvm;",
      "private kvCache?;",
      "private rnnState?;",
      "private logitsOnCPU?;",
      "private filledKVCacheLength;",
      "private slidingWindowSize;",
      "private updateLogitsOnCPU;",
      "private forwardKnownTokens;",
      "resetChat(keepStats?: boolean): void;",
      "sync(): Promise<void>;",
    ])
      expect(pipelineTypes).toContain(member);
    expect(engineTypes).toContain("private loadedModelIdToPipeline;");
  });

  it("their behaviour: last logits detached on the GPU, one reused CPU tensor, pipelines in a Map", () => {
    for (const snippet of [
      "forwardKnownTokens(inputIds, isPrefill) {",
      "lastLogits = this.tvm.detachFromCurrentScope(logits);",
      "updateLogitsOnCPU(logits) { if (this.logitsOnCPU == undefined) {",
      "this.logitsOnCPU.copyFrom(logits); return this.logitsOnCPU;",
      "this.loadedModelIdToPipeline = new Map();",
      'this.fKVCacheAddSequence(state, new libExports$2.Scalar(0, "int64"));', // the one sequence has id 0 (popn's seq_id)
    ])
      expect(code).toContain(snippet);
  });

  it("the rules window.ts mirrors: config merge order, window checks, KV capacity", () => {
    for (const snippet of [
      "Object.assign(Object.assign(Object.assign({}, JSON.parse(new TextDecoder().decode(configData))), modelRecord.overrides), chatOpts)",
      "if (this.contextWindowSize !== -1 && this.slidingWindowSize !== -1) { throw new WindowSizeConfigurationError(",
      "if (this.attentionSinkSize >= 0) {",
      "const maxTotalSeqLen = this.slidingWindowSize != -1 ? this.slidingWindowSize : this.contextWindowSize;",
    ])
      expect(code).toContain(snippet);
  });

  it("why the runner does what it does: device loss unloads, relative URLs throw, the sampler range-checks", () => {
    for (const snippet of [
      "gpuDetectOutput.device.lost.then((info) => { if (this.deviceLostIsError) {",
      "return new URL(modelUrl).href;", // cleanModelUrl: no base
      'if (!(repetition_penalty > 0)) { throw new MinValueError("repetition_penalty", 0);',
      "if (this.logitProcessor !== undefined) { // Move logits to CPU",
    ])
      expect(code).toContain(snippet);
  });
});
