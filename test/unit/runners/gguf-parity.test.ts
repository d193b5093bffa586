/**
 * GGUF files in every block type the reference runner reads, against transformers'
 * from_pretrained(gguf_file=...) on the same file (scripts/gguf-fixtures/make_fixtures.py).
 */
import { describe, expect, it } from "vitest";
import { WasmKernels } from "../../../src/runners/reference/kernels/wasm-kernels.js";
import { modelFromGguf } from "../../../src/runners/reference/gguf/model.js";
import { parseGguf, readGguf } from "../../../src/runners/reference/gguf/read-file.js";
import { BLOCK_TYPES, readFixture } from "./gguf-fixtures.js";

/** Max |runner - transformers| over a position's logits over max |transformers logit| there. */
const TOLERANCE = 1e-5; // measured: at most 1.4e-6 on both paths

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

// "wasm SIMD": the kernels; "scalar twin": the same weights dequantized and dotted in TypeScript;
// "read into wasm": downloaded (in small chunks) straight into the kernels' memory, used in place.
const PATHS = [
  ["wasm SIMD", undefined],
  ["scalar twin", null],
  ["read into wasm", "download"],
] as const;

async function load(bytes: Uint8Array, file: string, kernels: (typeof PATHS)[number][1]) {
  if (kernels !== "download") return modelFromGguf(parseGguf(bytes, file), bytes, file, { kernels });
  const fresh = await WasmKernels.create();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (let at = 0; at < bytes.byteLength; at += 4096) c.enqueue(bytes.slice(at, at + 4096));
      c.close();
    },
  });
  const fetchFn = (async () => new Response(body, { headers: { "content-length": String(bytes.byteLength) } })) as typeof fetch;
  const read = await readGguf(file, fetchFn, undefined, fresh);
  expect(read.bytes.buffer).toBe(fresh.memory.buffer);
  const before = fresh.memory.buffer.byteLength;
  const model = await modelFromGguf(read.header, read.bytes, file, { kernels: fresh });
  // The weights were not copied again: the memory grew by less than the file (scratch, not weights).
  expect(fresh.memory.buffer.byteLength - before).toBeLessThan(bytes.byteLength);
  return model;
}

describe.each(BLOCK_TYPES)("a tiny Llama GGUF in %s", (type) => {
  it.each(PATHS)("%s: gives transformers' logits at every position and its greedy tokens", async (_, kernels) => {
    const { bytes, truth, file } = readFixture(type);
    const { runner } = await load(bytes, file, kernels);
    const V = runner.vocabSize;
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
      expect(argmax(row), `argmax at position ${t}`).toBe(argmax(want));
    });
    const greedy: number[] = [];
    let next = argmax(got.subarray((truth.prompt.length - 1) * V));
    for (let i = 0; i < truth.greedy.length; i++) {
      greedy.push(next);
      next = argmax(await runner.forward(Int32Array.of(next)));
    }
    expect(greedy).toEqual(truth.greedy);
  });
});
