import { readFileSync } from "node:fs";
import { ReferenceRunner } from "../../src/runners/reference/index.js";
import { expect, test } from "./support/fixtures.js";

const dir = "public/models/tiny-random-qwen3/";

test("the reference runner loads from a URL in a Worker and decodes like Node", async ({ harness }) => {
  const prompt = [151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198];
  const got = await harness.evaluate((p) => window.harness.referenceInWorker(p, 8), prompt);
  expect(got.vocabSize).toBe(151936);
  expect(got.progress).toContain("download:model.safetensors");
  expect(got.progress.at(-1)).toBe("ready:");

  const node = ReferenceRunner.fromBytes(
    JSON.parse(readFileSync(dir + "config.json", "utf8")),
    new Uint8Array(readFileSync(dir + "model.safetensors")),
  );
  let logits = await node.forward(Int32Array.from(prompt));
  got.promptLogits.forEach((v, i) => expect(Math.abs(v - logits[i]!)).toBeLessThan(1e-4));
  const tokens: number[] = [];
  for (let s = 0; s < 8; s++) {
    let best = 0;
    for (let j = 1; j < logits.length; j++) if (logits[j]! > logits[best]!) best = j;
    tokens.push(best);
    logits = await node.forward(Int32Array.of(best));
  }
  expect(got.tokens).toEqual(tokens);
});
