/** Functions the browser tests call through page.evaluate(window.harness...). */
import * as Comlink from "comlink";
import { Tokenizer } from "@mlc-ai/web-tokenizers";
import type { HarnessWorker } from "./harness.worker.js";
import { probeWebGpu } from "./webgpu-probe.js";
import * as engineClient from "./engine-client.js";
import * as faultClient from "./fault-client.js";
import { ModelTokenizer } from "../../../src/engine/prompt/tokenizer.js";
import { IncrementalDetokenizer } from "../../../src/engine/decode/detokenizer.js";
import { ApiError, installApiErrorTransfer, normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { PromptCache } from "../../../src/engine/prompt/incremental.js";
import { renderChat } from "../../../src/engine/prompt/template.js";
import { conversation } from "../../fixtures/conversations.js";
import { tokenizerTexts } from "../../fixtures/tokenizer-texts.js";

installApiErrorTransfer();

export const MODEL_URL = "/models/tiny-random-qwen3/";

let tokenizer: Promise<Tokenizer> | undefined;
function loadTokenizer(): Promise<Tokenizer> {
  tokenizer ??= fetch(MODEL_URL + "tokenizer.json")
    .then((r) => r.arrayBuffer())
    .then((b) => Tokenizer.fromJSON(b));
  return tokenizer;
}

function worker(): Comlink.Remote<HarnessWorker> {
  return Comlink.wrap<HarnessWorker>(new Worker(new URL("./harness.worker.ts", import.meta.url), { type: "module" }));
}

/** What arrives in the page when the worker throws. */
async function caughtFromWorker(call: (w: Comlink.Remote<HarnessWorker>) => Promise<unknown>) {
  try {
    await call(worker());
    return null;
  } catch (e) {
    const err = e as ApiError;
    return {
      isApiError: e instanceof ApiError,
      status: err.status,
      type: err.type,
      param: err.param,
      code: err.code,
      message: err.message,
      body: JSON.stringify(err),
    };
  }
}

const harness = {
  /** Push ids through the incremental detokenizer one by one; returns each piece. */
  async detokenize(text: string, opts: { skipSpecialTokens: boolean; spacesBetweenSpecialTokens: boolean }) {
    const bytes = await fetch(MODEL_URL + "tokenizer.json").then((r) => r.arrayBuffer());
    const config = await fetch(MODEL_URL + "tokenizer_config.json").then((r) => r.json());
    const tok = await ModelTokenizer.load(bytes, config, 151936);
    const ids = Array.from(tok.encode(text));
    const d = new IncrementalDetokenizer(tok, opts);
    const pieces = ids.map((id) => d.push(id));
    pieces.push(d.flush());
    tok.dispose();
    return { ids, pieces };
  },
  engine: engineClient,
  faults: faultClient,
  validateInWorker: (body: unknown) => caughtFromWorker((w) => w.validate(body)),
  throwInWorker: () => caughtFromWorker((w) => w.throwPlain()),
  probeWebGpu,
  probeWebGpuInWorker: () => worker().probeWebGpu(),
  async tokenize(texts: string[]): Promise<{ ids: number[]; decoded: string; tokens: string[] }[]> {
    const tok = await loadTokenizer();
    return texts.map((t) => {
      const ids = tok.encode(t);
      return { ids: Array.from(ids), decoded: tok.decode(ids), tokens: Array.from(ids, (i) => tok.idToToken(i)) };
    });
  },
  /**
   * Seeded chats turn by turn through the engine's tokenizer (NFC in JS) and prompt cache, against
   * the wasm tokenizer loaded from the unmodified tokenizer.json encoding each whole text.
   */
  /** The engine's tokenizer (word cache in front of wasm) against the plain wasm tokenizer, over seeded texts twice (cold, then warm). */
  async wordCacheMatches(folder: string, seed: number, count: number) {
    const bytes = await fetch(folder + "tokenizer.json").then((r) => r.arrayBuffer());
    const config = await fetch(folder + "tokenizer_config.json").then((r) => r.json());
    const plain = await Tokenizer.fromJSON(bytes);
    const tok = await ModelTokenizer.load(bytes, config, plain.getVocabSize());
    const added = (JSON.parse(new TextDecoder().decode(bytes)) as { added_tokens: { content: string }[] }).added_tokens;
    const texts = tokenizerTexts(
      seed,
      count,
      added.map((t) => t.content),
    );
    const differ: string[] = [];
    for (const pass of ["cold", "warm"])
      for (const text of texts)
        if (Array.from(tok.encode(text)).join() !== Array.from(plain.encode(text)).join())
          differ.push(`${pass}: ${JSON.stringify(text)}`);
    const out = { cachesWords: tok.words !== null, texts: texts.length, differ };
    tok.dispose();
    plain.dispose();
    return out;
  },
  async incrementalPrompts(seeds: number, turns: number) {
    const bytes = await fetch(MODEL_URL + "tokenizer.json").then((r) => r.arrayBuffer());
    const config = await fetch(MODEL_URL + "tokenizer_config.json").then((r) => r.json());
    const tok = await ModelTokenizer.load(bytes, config, 151936);
    const plain = await loadTokenizer();
    const cache = new PromptCache(tok);
    const ctx = { models: ["m"], contextWindow: 1 << 20, vocabSize: 151936, logitsProcessors: [] };
    const out = { texts: 0, differ: [] as string[] };
    for (let seed = 1; seed <= seeds; seed++) {
      for (const body of conversation(seed, turns)) {
        const t = normalizeRequest(validateRequest(body), ctx).template;
        const text = renderChat(config.chat_template, "messages", t, { bos: null, eos: "<|im_end|>" });
        const want = Array.from(plain.encode(text)).join();
        if (Array.from(cache.encode("k", text)).join() !== want || Array.from(tok.encode(text)).join() !== want)
          out.differ.push(`seed ${seed}: ${JSON.stringify(text.slice(-80))}`);
        out.texts++;
      }
    }
    tok.dispose();
    return out;
  },
  async referenceInWorker(prompt: number[], steps: number) {
    const w = worker();
    const loaded = await w.loadReference(MODEL_URL);
    const { tokens, promptLogits } = await w.greedy(prompt, steps);
    return {
      vocabSize: loaded.vocabSize,
      progress: loaded.progress.map((p) => `${p.stage}:${p.file}`),
      tokens,
      promptLogits: Array.from(promptLogits.subarray(0, 64)),
    };
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
document.body.dataset.ready = "true";
