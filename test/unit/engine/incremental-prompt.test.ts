import { readFileSync } from "node:fs";
import { Tokenizer as HFTokenizer } from "@huggingface/tokenizers";
import { describe, expect, it } from "vitest";
import { AddedTokenSplitter, type AddedTokenJson } from "../../../src/engine/prompt/added-tokens.js";
import { PromptCache, type SeamTokenizer } from "../../../src/engine/prompt/incremental.js";
import { renderChat } from "../../../src/engine/prompt/template.js";
import { normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { conversation } from "../../fixtures/conversations.js";
import { DEFAULT_TINY_MODEL_DIR } from "../../fixtures/make-tiny-model.js";

// The engine's wasm tokenizer does not load in Node; @huggingface/tokenizers runs the same
// tokenizer.json here (the browser test repeats this against the wasm one).
const json = JSON.parse(readFileSync(DEFAULT_TINY_MODEL_DIR + "/tokenizer.json", "utf8")) as {
  added_tokens: AddedTokenJson[];
};
const config = JSON.parse(readFileSync(DEFAULT_TINY_MODEL_DIR + "/tokenizer_config.json", "utf8")) as {
  chat_template: string;
};
const hf = new HFTokenizer(json, config);
const fullEncode = (text: string) => Int32Array.from(hf.encode(text, { add_special_tokens: false }).ids);

/** The HF tokenizer with the seams of its added tokens, counting the chars it is asked to encode. */
function counting(): SeamTokenizer & { chars: number } {
  const t = {
    chars: 0,
    splitter: AddedTokenSplitter.from(json.added_tokens),
    encode(text: string) {
      t.chars += text.length;
      return fullEncode(text);
    },
  };
  return t;
}

const CTX = { models: ["m"], contextWindow: 1 << 20, vocabSize: 151936, logitsProcessors: [] };
const render = (body: Record<string, unknown>, template = config.chat_template) =>
  renderChat(template, "messages", normalizeRequest(validateRequest(body), CTX).template, { bos: null, eos: "<|im_end|>" });

/** Puts the turn count in the system prompt: the very start of the text changes every turn. */
const REWRITES_START =
  "<|im_start|>system\nturn {{ messages|length }}<|im_end|>\n{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
/** No added tokens at all: no seams, every text is encoded whole. */
const PLAIN_TEXT =
  "{% for m in messages %}### {{ m.role }}:\n{{ m.content }}\n\n{% endfor %}{% if add_generation_prompt %}### assistant:\n{% endif %}";

describe("incremental prompt ids", () => {
  it("equal the whole-text ids on 80 seeded chats of 12 turns (Qwen3 template: think blocks dropped, tools, edits, last-k), turn by turn", () => {
    const tok = counting();
    const cache = new PromptCache(tok);
    let turns = 0;
    let total = 0;
    for (let seed = 1; seed <= 80; seed++) {
      for (const body of conversation(seed, 12)) {
        const text = render(body);
        expect(Array.from(cache.encode(`qwen3:${seed % 3}`, text)), `seed ${seed} turn ${turns}`).toEqual(
          Array.from(fullEncode(text)),
        );
        total += text.length;
        turns++;
      }
    }
    expect(turns).toBeGreaterThan(900);
    // Reuse really happens: most of the text is never encoded again.
    expect(tok.chars / total).toBeLessThan(0.5);
  });

  it("equal the whole-text ids for templates that rewrite the start and templates without added tokens", () => {
    for (const template of [REWRITES_START, PLAIN_TEXT]) {
      const cache = new PromptCache(counting());
      for (let seed = 300; seed < 320; seed++) {
        for (const body of conversation(seed, 8)) {
          const text = render(body, template);
          expect(Array.from(cache.encode("k", text))).toEqual(Array.from(fullEncode(text)));
        }
      }
    }
  });

  it("a follow-up turn of a 16k-token chat encodes only its new turn", () => {
    const tok = counting();
    const cache = new PromptCache(tok);
    const para = "The harbour wakes before the town does: gulls argue over the nets. ".repeat(12);
    const messages: { role: string; content: string }[] = [{ role: "user", content: para }];
    for (let i = 0; i < 90; i++)
      messages.push({ role: i % 2 ? "user" : "assistant", content: `<think>\nhm ${i}\n</think>\n\n${para}` });
    const first = render({ messages });
    cache.encode("k", first);
    tok.chars = 0;
    messages.push({ role: "assistant", content: "<think>\nok\n</think>\n\nSure." }, { role: "user", content: "And then?" });
    const next = render({ messages });
    expect(fullEncode(next).length).toBeGreaterThan(16_000);
    expect(Array.from(cache.encode("k", next))).toEqual(Array.from(fullEncode(next)));
    expect(tok.chars).toBeLessThan(100);
  });

  it("the splitter matches leftmost-longest, sees a token straddling a position, and refuses tokens whose cuts are unsafe", () => {
    // One token is the start of another, so a seam after the shorter one is straddled when the text goes on with ">".
    const tokens: AddedTokenJson[] = [
      { id: 1, content: "<a>", normalized: false },
      { id: 2, content: "<a>>", normalized: false },
    ];
    const splitter = AddedTokenSplitter.from(tokens)!;
    expect(splitter.matches("x<a>>y<a>").map((m) => [m.start, m.end, m.id])).toEqual([
      [1, 5, 2],
      [6, 9, 1],
    ]);
    expect(splitter.straddles("x<a>>y", 4)).toBe(true);
    expect(splitter.straddles("x<a>y", 4)).toBe(false);
    // A char-level tokenizer that cuts at these tokens: the cache steps back from the straddled seam.
    const toy = {
      splitter,
      encode(text: string) {
        const ids: number[] = [];
        let at = 0;
        for (const m of splitter.matches(text)) {
          for (const ch of text.slice(at, m.start)) ids.push(1000 + ch.charCodeAt(0));
          ids.push(m.id);
          at = m.end;
        }
        for (const ch of text.slice(at)) ids.push(1000 + ch.charCodeAt(0));
        return Int32Array.from(ids);
      },
    };
    const cache = new PromptCache(toy);
    for (const text of ["x<a>", "x<a>>y", "x<a>>y<a>z", "x<a>>y<a>>"])
      expect(Array.from(cache.encode("k", text)), text).toEqual(Array.from(toy.encode(text)));
    // lstrip / rstrip / single_word / normalized tokens make cuts unsafe: no splitter at all.
    expect(AddedTokenSplitter.from([{ id: 1, content: "<a>", lstrip: true, normalized: false }])).toBeNull();
    expect(AddedTokenSplitter.from([{ id: 1, content: "<a>", normalized: true }])).toBeNull();
  });
});
