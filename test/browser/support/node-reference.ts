/** The tiny model on the reference runner in Node: the independent side of the engine checks. */
import { readFileSync } from "node:fs";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";

const dir = "public/models/tiny-random-qwen3/";
let runner: ReferenceRunner | undefined;

/** Logits of every position of `tokens` (row i predicts token i+1). */
export async function allLogits(tokens: number[]): Promise<Float32Array[]> {
  runner ??= ReferenceRunner.fromBytes(
    JSON.parse(readFileSync(dir + "config.json", "utf8")),
    new Uint8Array(readFileSync(dir + "model.safetensors")),
  );
  runner.reset();
  const flat = await runner.forward(Int32Array.from(tokens), { allLogits: true });
  const V = runner.vocabSize;
  return tokens.map((_, i) => flat.subarray(i * V, (i + 1) * V));
}

export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

export function logSoftmaxAt(row: Float32Array, id: number): number {
  let max = -Infinity;
  for (const v of row) if (v > max) max = v;
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  return row[id]! - max - Math.log(sum);
}
