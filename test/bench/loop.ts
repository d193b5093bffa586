/**
 * Per-token CPU cost of the generation loop around the model: processors, sampler, logprobs and
 * detokenizer, on the real Qwen3 vocabulary (151936 ids), in Node.
 */
import { readFileSync } from "node:fs";
import { IncrementalDetokenizer } from "../../src/engine/decode/detokenizer.js";
import { distribution, newBands } from "../../src/engine/sampling/distribution.js";
import { tokenLogprob } from "../../src/engine/sampling/logprobs.js";
import { buildProcessors } from "../../src/engine/sampling/processors.js";
import { Prng } from "../../src/engine/sampling/prng.js";
import { sampleToken } from "../../src/engine/sampling/sampler.js";
import { tokenToBytes } from "../../src/engine/prompt/token-bytes.js";
import { normalizeRequest, validateRequest } from "../../src/protocol/index.js";
import { DEFAULT_TINY_MODEL_DIR } from "../fixtures/make-tiny-model.js";
import type { Stats } from "./stats.js";

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

function perToken(body: Record<string, unknown>, tokens: number, vocab: ReturnType<typeof vocabulary>): number[] {
  const req = normalizeRequest(validateRequest({ messages: [{ role: "user", content: "x" }], ...body }), {
    models: ["m"],
    contextWindow: 40960,
    vocabSize: V,
  });
  const p = req.sampling;
  const rng = new Prng(1);
  const model = new Float32Array(V);
  for (let i = 0; i < V; i++) model[i] = rng.normal() * 3;
  const output: number[] = [];
  const state = { promptTokens: Int32Array.from({ length: 200 }, (_, i) => i * 31), outputTokens: output };
  const processors = buildProcessors(p, { eosIds: [151645, 151643], badWordIds: [[1879], [9707, 11]] });
  const detok = new IncrementalDetokenizer(vocab, { skipSpecialTokens: true, spacesBetweenSpecialTokens: true });
  const names = {
    text: (id: number) => new TextDecoder().decode(vocab.tokenBytes[id]),
    bytes: (id: number) => Array.from(vocab.tokenBytes[id]!),
  };
  const work = new Float32Array(V);
  const weights = new Float32Array(V);
  const bands = p.topP < 1 && p.topK === 0 ? newBands(V) : undefined;
  const times: number[] = [];
  for (let t = 0; t < tokens; t++) {
    const t0 = performance.now();
    work.set(model);
    for (const proc of processors) proc(work, state);
    const d = distribution(work, p.temperature, weights, bands);
    const token = sampleToken(work, d, p, rng);
    output.push(token);
    if (p.logprobs !== null) tokenLogprob(work, d, token, p.logprobs, names, false);
    detok.push(token);
    times.push(performance.now() - t0);
  }
  return times.slice(10); // first tokens warm the JIT
}

const stats = (t: number[]): Stats => {
  const s = [...t].sort((a, b) => a - b);
  return { min: s[0]!, median: s[s.length >> 1]!, max: s[s.length - 1]!, runs: s.length };
};

export function benchLoop(): { plain: Stats; typical: Stats; logprobs20: Stats } {
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
    plain: stats(perToken({ temperature: 1 }, 110, vocab)),
    typical: stats(perToken(typical, 110, vocab)),
    logprobs20: stats(perToken({ ...typical, logprobs: true, top_logprobs: 20 }, 110, vocab)),
  };
}
