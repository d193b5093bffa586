import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ReferenceRunner } from "../../src/runners/reference/index.js";
import { DEFAULT_TINY_MODEL_DIR, TINY_MODEL_FILES, writeTinyModel } from "../fixtures/make-tiny-model.js";
import { naiveForward } from "./naive-decoder.js";

const read = (f: string) => new Uint8Array(readFileSync(join(DEFAULT_TINY_MODEL_DIR, f)));
const config = JSON.parse(readFileSync(join(DEFAULT_TINY_MODEL_DIR, "config.json"), "utf8")) as Record<string, unknown>;

describe("tiny-random-qwen3", () => {
  it("has the DESIGN.md shape", () => {
    const runner = ReferenceRunner.fromBytes(config, read("model.safetensors"));
    expect(runner.config).toMatchObject({
      architecture: "Qwen3ForCausalLM",
      hiddenSize: 64,
      numLayers: 2,
      numHeads: 4,
      numKvHeads: 2,
      headDim: 16,
      intermediateSize: 128,
      vocabSize: 151936,
      tieWordEmbeddings: true,
      qkNorm: true,
    });
  });

  it("matches an independent naive forward (< 1e-4) at every position", async () => {
    // "<|im_start|>user\nHi<|im_end|>" in Qwen3 ids
    const tokens = [151644, 872, 198, 13048, 151645, 198];
    const expected = naiveForward(config, read("model.safetensors"), tokens);
    const runner = ReferenceRunner.fromBytes(config, read("model.safetensors"));
    const got = await runner.forward(Int32Array.from(tokens), { allLogits: true });
    let maxDiff = 0;
    for (let t = 0; t < tokens.length; t++) {
      for (let i = 0; i < 151936; i++) maxDiff = Math.max(maxDiff, Math.abs(got[t * 151936 + i]! - expected[t]![i]!));
    }
    expect(maxDiff).toBeLessThan(1e-4);
  });

  describe("generator", () => {
    const dirs = [
      mkdtempSync(join(tmpdir(), "tiny-a-")),
      mkdtempSync(join(tmpdir(), "tiny-b-")),
      mkdtempSync(join(tmpdir(), "tiny-c-")),
    ];
    afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
    const hash = (dir: string, f: string) =>
      createHash("sha256")
        .update(readFileSync(join(dir, f)))
        .digest("hex");

    it("writes byte-identical files for the same seed, different weights for another", () => {
      writeTinyModel(dirs[0]!, 5);
      writeTinyModel(dirs[1]!, 5);
      writeTinyModel(dirs[2]!, 6);
      for (const f of TINY_MODEL_FILES) expect(hash(dirs[0]!, f), f).toBe(hash(dirs[1]!, f));
      expect(hash(dirs[0]!, "model.safetensors")).not.toBe(hash(dirs[2]!, "model.safetensors"));
    });
  });
});
