import { describe, expect, it } from "vitest";
import { closestName, didYouMean } from "../../../src/protocol/did-you-mean.js";

const ids = ["Qwen3-0.6B-q4f32_1-MLC", "Qwen3-1.7B-q4f32_1-MLC", "SmolLM2-360M-Instruct-q4f16_1-MLC", "tiny-random-qwen3"];

describe("did you mean", () => {
  it("names the closest model id for a typo, case ignored", () => {
    expect(closestName("qwen3-0.6b-q4f32-mlc", ids)).toBe("Qwen3-0.6B-q4f32_1-MLC");
    expect(closestName("tiny-random-qwen", ids)).toBe("tiny-random-qwen3");
    expect(didYouMean("Qwen3-1.7B-q4f32_1-MLX", ids)).toBe(' Did you mean "Qwen3-1.7B-q4f32_1-MLC"?');
  });

  it("says nothing when no name is close", () => {
    expect(closestName("llama", ids)).toBeNull();
    expect(didYouMean("Mistral-7B-Instruct-v0.3-q4f16_1-MLC", ids)).toBe("");
  });

  it("honours an explicit distance bound", () => {
    expect(closestName("temprature", ["temperature", "top_p"], 3)).toBe("temperature");
    expect(closestName("tmprtre", ["temperature"], 3)).toBeNull();
  });
});
