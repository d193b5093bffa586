/// <reference lib="webworker" />
/**
 * The peer of the ONNX generate bench: transformers.js's own `generate` (AutoModelForCausalLM) on the
 * same model folder, served by the same dev server; no remote models, onnxruntime's wasm from its own
 * node_modules folder (never a CDN).
 */
import * as Comlink from "comlink";
import {
  AutoModelForCausalLM,
  BaseStreamer,
  env,
  Tensor,
  type PreTrainedModel,
  type TextStreamer,
} from "@huggingface/transformers";
import type { GenerateDevice, GenerateRun } from "./onnx-generate.js";

let model: PreTrainedModel | undefined;

/** Stamps each step's new token (generate's first put is the prompt). */
class Stamps extends BaseStreamer {
  readonly stamps: number[] = [];
  private prompt = true;
  constructor(private readonly t0: number) {
    super();
  }
  override put(): void {
    if (this.prompt) this.prompt = false;
    else this.stamps.push(performance.now() - this.t0);
  }
  override end(): void {}
}

const api = {
  /** `modelsUrl`/`modelId`: the folder is modelsUrl + modelId + "/"; `ortDistUrl`: transformers.js's own onnxruntime-web dist/ folder. */
  async load(
    modelsUrl: string,
    modelId: string,
    device: GenerateDevice,
    ortDistUrl: string,
    dtype: "fp32" | "q4" = "fp32",
  ): Promise<string> {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelsUrl;
    const wasm = env.backends.onnx.wasm!;
    wasm.wasmPaths = ortDistUrl;
    // As ours (src/runners/onnx/ort.ts): the cores, up to 4, on a cross-origin-isolated page, else one.
    wasm.numThreads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency)) : 1;
    await model?.dispose();
    model = await AutoModelForCausalLM.from_pretrained(modelId, { dtype, device });
    return env.version;
  },

  /** Greedy, exactly `newTokens` new tokens (min_new_tokens masks EOS). */
  async generate(prompt: number[], newTokens: number): Promise<GenerateRun> {
    const n = prompt.length;
    const streamer = new Stamps(performance.now());
    const out = (await model!.generate({
      input_ids: new Tensor("int64", BigInt64Array.from(prompt, BigInt), [1, n]),
      attention_mask: new Tensor("int64", new BigInt64Array(n).fill(1n), [1, n]),
      max_new_tokens: newTokens,
      min_new_tokens: newTokens,
      do_sample: false,
      // Typed as a TextStreamer in its .d.ts, but generate only calls a BaseStreamer's put/end.
      streamer: streamer as unknown as TextStreamer,
    })) as Tensor;
    return { stamps: streamer.stamps, tokens: Array.from(out.data as BigInt64Array, Number).slice(n) };
  },
};

export type PeerWorker = typeof api;
Comlink.expose(api);
