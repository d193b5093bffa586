/**
 * A SentencePiece GGUF (tokenizer.ggml.model "llama": scores, byte-fallback pieces, ▁ for spaces)
 * against transformers' from_pretrained(gguf_file=...) on the same file
 * (scripts/gguf-fixtures/sp_fixture.py): tokenizer ids and decoded text on the tokenizer test
 * texts, the chat prompt's ids, logits at every position and greedy tokens.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import { beforeAll, describe, expect, it } from "vitest";
import { PromptCache } from "../../../src/engine/prompt/incremental.js";
import { ModelTokenizer } from "../../../src/engine/prompt/tokenizer.js";
import type { ModelFiles } from "../../../src/models/files.js";
import type { ReferenceRunner } from "../../../src/runners/reference/index.js";
import { GgufError } from "../../../src/runners/reference/gguf/gguf-error.js";
import { Metadata } from "../../../src/runners/reference/gguf/metadata.js";
import { modelFromGguf } from "../../../src/runners/reference/gguf/model.js";
import { parseGguf } from "../../../src/runners/reference/gguf/read-file.js";
import { tokenizerFromMetadata } from "../../../src/runners/reference/gguf/tokenizer.js";
import { thrown } from "../support/thrown.js";
import { GGUF_FIXTURES } from "./gguf-fixtures.js";

interface Truth {
  texts: string[];
  text_ids: number[][];
  decoded: string[];
  prompt: number[];
  logits: number[][];
  greedy: number[];
  greedy_text: string;
  messages: { role: string; content: string }[];
  chat_ids: number[];
  /** transformers' backend tokenizer, serialized. */
  tokenizer_json: { model: { vocab: Record<string, number>; merges: [string, string][] }; normalizer: unknown; decoder: unknown };
}

const FILE = join(GGUF_FIXTURES, "tiny-llama-sp.gguf");
if (!existsSync(FILE)) throw new Error(`${FILE} is missing: run scripts/gguf-fixtures/make.sh first`);
const truth = JSON.parse(readFileSync(join(GGUF_FIXTURES, "tiny-llama-sp.json"), "utf8")) as Truth;

/** Max |runner - transformers| over a position's logits over max |transformers logit| there. */
const TOLERANCE = 1e-5;

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

let runner: ReferenceRunner;
let files: ModelFiles;
let tok: ModelTokenizer;
let json: Truth["tokenizer_json"];

beforeAll(async () => {
  const bytes = new Uint8Array(readFileSync(FILE));
  ({ runner, files } = await modelFromGguf(parseGguf(bytes, FILE), bytes, FILE));
  json = JSON.parse(new TextDecoder().decode(files.tokenizerJson)) as Truth["tokenizer_json"];
  // The engine's own tokenizer (Rust tokenizers in wasm), as the worker loads it.
  tok = await ModelTokenizer.load(files.tokenizerJson, files.tokenizerConfig, runner.vocabSize, FILE);
});

describe("a tiny Llama GGUF with a SentencePiece tokenizer", () => {
  it("rebuilds transformers' vocabulary, merges from the scores, normalizer and decoder", () => {
    expect(json.model.vocab).toEqual(truth.tokenizer_json.model.vocab);
    expect(json.model.merges).toEqual(truth.tokenizer_json.model.merges);
    expect(json.normalizer).toEqual(truth.tokenizer_json.normalizer);
    expect(json.decoder).toEqual(truth.tokenizer_json.decoder);
    expect(files.tokenizerConfig).toMatchObject({ bos_token: "<s>", eos_token: "</s>", add_bos_token: true });
  });

  it("encodes the tokenizer test texts to transformers' ids (spaces, digits, byte fallback, control tokens)", () => {
    expect(truth.texts.some((t) => /🦙|你好/.test(t))).toBe(true);
    truth.texts.forEach((text, i) => {
      expect([i, [...tok.encode(text, { reuse: false })]]).toEqual([i, truth.text_ids[i]]);
    });
  });

  it("decodes those ids to transformers' text", () => {
    truth.text_ids.forEach((ids, i) => expect([i, tok.decode(ids)]).toEqual([i, truth.decoded[i]]));
  });

  it("renders and encodes the chat template to transformers' prompt ids", () => {
    const text = new Template(files.chatTemplate!).render({
      messages: truth.messages,
      add_generation_prompt: true,
      bos_token: "<s>",
      eos_token: "</s>",
    });
    expect([...tok.encode(text)]).toEqual(truth.chat_ids);
  });

  // The tokenizer prepends "▁" to each text between added tokens, so cutting at them stays exact.
  it("gives the whole text's ids when the prompt cache encodes only a follow-up turn after a seam", () => {
    const render = (messages: { role: string; content: string }[]) =>
      new Template(files.chatTemplate!).render({ messages, bos_token: "<s>", eos_token: "</s>" });
    const first = [...truth.messages, { role: "assistant", content: "Paris, 42 and  two  spaces." }];
    const second = [...first, { role: "user", content: "And of Italy?\n  Rome 🦙" }];
    expect(tok.splitter).not.toBeNull();
    const cache = new PromptCache(tok);
    cache.encode("k", render(first));
    expect([...cache.encode("k", render(second))]).toEqual([...tok.encode(render(second), { reuse: false })]);
  });

  it("gives transformers' logits at every prompt position and its greedy tokens", async () => {
    const V = runner.vocabSize;
    runner.reset();
    const got = await runner.forward(Int32Array.from(truth.prompt), { allLogits: true });
    truth.logits.forEach((want, t) => {
      const row = got.subarray(t * V, (t + 1) * V);
      let diff = 0;
      let scale = 0;
      for (let i = 0; i < V; i++) {
        diff = Math.max(diff, Math.abs(row[i]! - want[i]!));
        scale = Math.max(scale, Math.abs(want[i]!));
      }
      expect(diff / scale, `position ${t}`).toBeLessThan(TOLERANCE);
    });
    const greedy: number[] = [];
    let next = argmax(got.subarray((truth.prompt.length - 1) * V));
    for (let i = 0; i < truth.greedy.length; i++) {
      greedy.push(next);
      next = argmax(await runner.forward(Int32Array.of(next)));
    }
    expect(greedy).toEqual(truth.greedy);
    expect(tok.decode(greedy)).toBe(truth.greedy_text);
  });
});

describe("a GGUF tokenizer the reference runner does not rebuild", () => {
  it.each(["bert", "t5", "rwkv", "none"])("tokenizer.ggml.model %s is a GgufError naming it and the ones it reads", (model) => {
    const md = new Metadata(new Map([["tokenizer.ggml.model", model]]), "m.gguf");
    const e = thrown(() => tokenizerFromMetadata(md));
    expect(e).toBeInstanceOf(GgufError);
    expect((e as GgufError).message).toContain(`tokenizer.ggml.model is "${model}"`);
    expect((e as GgufError).message).toContain('"gpt2" and "llama"');
  });
});
