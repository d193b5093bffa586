import { describe, expect, it } from "vitest";
import { distribution } from "../../../src/engine/sampling/distribution.js";
import { promptLogprobs, tokenLogprob } from "../../../src/engine/sampling/logprobs.js";
import { tokenNamer } from "../../../src/engine/sampling/token-text.js";

// "中" is E4 B8 AD in UTF-8: tokens that split it, as byte-level BPE vocabularies have.
const vocab = {
  tokenBytes: [
    Uint8Array.of(0x61), // 0 "a"
    Uint8Array.of(0xe4, 0xb8), // 1 the first two bytes of 中
    Uint8Array.of(0xad), // 2 its last byte
    Uint8Array.of(0x20, 0xe4), // 3 " " and a lead byte
    Uint8Array.of(0xe4), // 4 a lead byte
    Uint8Array.of(0xb8), // 5 a middle byte
    Uint8Array.of(0xad, 0x62), // 6 the last byte, then "b"
  ],
};
const names = tokenNamer(vocab);

describe("token text for logprobs (vLLM's _verify_tokens)", () => {
  it("a token ending mid-character is '' unless the tokens before it complete the character", () => {
    expect(names.text(0, [])).toBe("a");
    expect(names.text(1, [])).toBe("");
    expect(names.text(3, [0])).toBe(""); // its space goes with it
    expect(names.text(2, [])).toBe("");
    expect(names.text(2, [0])).toBe("");
    expect(names.text(2, [0, 1])).toBe("中"); // the completing token gets the whole character
    expect(names.text(2, [0, 4, 5])).toBe("中"); // over two partial tokens
    expect(names.text(6, [])).toBe("\uFFFDb"); // a replacement char not at the end stays
  });

  it("logprobs: token and bytes are the shown text ('' and []), top_logprobs too", () => {
    const logits = Float32Array.of(0, 3, 2, 1, -1, -1, -1);
    const d = distribution(logits, 1, new Float32Array(logits.length));
    const first = tokenLogprob(logits, d, 1, 2, names, false, []);
    expect(first).toMatchObject({
      token: "",
      bytes: [],
      top_logprobs: [
        { token: "", bytes: [] },
        { token: "", bytes: [] },
      ],
    });
    const completing = tokenLogprob(logits, d, 2, 1, names, false, [1]);
    expect(completing).toMatchObject({ token: "中", bytes: [0xe4, 0xb8, 0xad], top_logprobs: [{ token: "" }] });
  });

  it("return_tokens_as_token_ids: labels everywhere, the sampled token's bytes still its text's", () => {
    const logits = Float32Array.of(0, 3, 2, 1, -1, -1, -1);
    const d = distribution(logits, 1, new Float32Array(logits.length));
    const lp = tokenLogprob(logits, d, 2, 1, names, true, [1]);
    expect(lp.token).toBe("token_id:2");
    expect(lp.bytes).toEqual([0xe4, 0xb8, 0xad]);
    expect(lp.top_logprobs[0]).toMatchObject({ token: "token_id:1", bytes: Array.from(new TextEncoder().encode("token_id:1")) });
  });

  it("prompt_logprobs: decoded_token read after the prompt tokens before it, never the first", () => {
    const prompt = Int32Array.of(1, 2, 0, 1, 2);
    const logits = new Float32Array(prompt.length * vocab.tokenBytes.length);
    const plp = promptLogprobs(prompt, logits, vocab.tokenBytes.length, 0, names);
    // Position 1 completes 中 with the first token, but vLLM's context starts at the second.
    expect(plp[1]!["2"]!.decoded_token).toBe("");
    expect(plp[3]!["1"]!.decoded_token).toBe("");
    expect(plp[4]!["2"]!.decoded_token).toBe("中");
  });
});
