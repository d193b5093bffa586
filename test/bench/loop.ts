/**
 * Per-token CPU cost of the generation loop around the model: the engine's own TokenStep
 * (processors, sampler, logprobs, detokenizer, stop rules) on the real Qwen3 vocabulary (151936
 * ids), in Node.
 */
import { readFileSync } from "node:fs";
import { TokenStep } from "../../src/engine/decode/token-step.js";
import { tokenToBytes } from "../../src/engine/prompt/token-bytes.js";
import { Prng } from "../../src/engine/sampling/prng.js";
import { normalizeRequest, validateRequest } from "../../src/protocol/index.js";
import { DEFAULT_TINY_MODEL_DIR } from "../fixtures/make-tiny-model.js";
import { fromRuns, type Stats } from "./stats.js";

const V = 151936;

function vocabulary() {
  const json = JSON.parse(readFileSync(DEFAULT_TINY_MODEL_DIR + "/tokenizer.json", "utf8")) as {
    model: { vocab: Record<string, number> };
    added_tokens: { id: number; content: string; special: boolean }[];
  };
  const tokenBytes: Uint8Array[] = Array.from({ length: V }, () => new Uint8Array(0));
  for (const [piece, id] of Object.entries(json.model.vocab)) tokenBytes[id] = tokenToBytes(piece, "byte_level");
  const specialIds = new Set<number>();
  for (const t of json.added_tokens) {
    tokenBytes[t.id] = new TextEncoder().encode(t.content);
    if (t.special) specialIds.add(t.id);
  }
  return { tokenBytes, specialIds };
}

async function perToken(body: Record<string, unknown>, tokens: number, vocab: ReturnType<typeof vocabulary>): Promise<number[]> {
  const req = normalizeRequest(validateRequest({ messages: [{ role: "user", content: "x" }], ...body }), {
    models: ["m"],
    contextWindow: 40960,
    vocabSize: V,
  });
  const rng = new Prng(1);
  const logits = new Float32Array(V);
  for (let i = 0; i < V; i++) logits[i] = rng.normal() * 3;
  const step = new TokenStep({
    sampling: req.sampling,
    vocab,
    eosIds: [151645, 151643],
    eosTokenId: 151645,
    promptTokens: Int32Array.from({ length: 200 }, (_, i) => i * 31),
    seed: 1,
    badWordIds: [[1879], [9707, 11]],
    maxTokens: 40000,
    skipSpecialTokens: true,
  });
  const times: number[] = [];
  for (let t = 0; t < tokens; t++) {
    const t0 = performance.now();
    await step.next(logits); // a stop rule firing (an EOS draw) does not end the timing run
    times.push(performance.now() - t0);
  }
  return times.slice(10); // first tokens warm the JIT
}

export async function benchLoop(): Promise<{ plain: Stats; typical: Stats; logprobs20: Stats }> {
  const vocab = vocabulary();
  const typical = {
    temperature: 0.7,
    top_p: 0.9,
    presence_penalty: 0.5,
    frequency_penalty: 0.5,
    repetition_penalty: 1.1,
    logit_bias: { "100": 5 },
    bad_words: ["x"],
  };
  return {
    plain: fromRuns(await perToken({ temperature: 1 }, 110, vocab)),
    typical: fromRuns(await perToken(typical, 110, vocab)),
    logprobs20: fromRuns(await perToken({ ...typical, logprobs: true, top_logprobs: 20 }, 110, vocab)),
  };
}
