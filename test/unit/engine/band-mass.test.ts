import { describe, expect, it } from "vitest";
import { bandMass } from "../../../src/engine/sampling/band-mass.js";
import { BAND_COUNT, distribution, newBands } from "../../../src/engine/sampling/distribution.js";
import { Prng } from "../../../src/engine/sampling/prng.js";

/** The masses as the softmax pass used to sum them: four lane tables in id order, (l0 + l2) + (l1 + l3). */
function laneMasses(of: Uint8Array, w: Float32Array): Float64Array {
  const lanes = new Float64Array(BAND_COUNT * 4);
  for (let i = 0; i < of.length; i++) lanes[(of[i]! << 2) | (i & 3)]! += w[i]!;
  return Float64Array.from(
    { length: BAND_COUNT },
    (_, b) => lanes[4 * b]! + lanes[4 * b + 2]! + (lanes[4 * b + 1]! + lanes[4 * b + 3]!),
  );
}

describe("band masses summed on demand", () => {
  it("have the bits of the lane-ordered sums below the last band, however the vocabulary is spread", () => {
    const rng = new Prng(3);
    const V = 151936;
    const cases: [string, () => number][] = [
      ["normal", () => rng.normal() * 3],
      ["narrow", () => rng.normal() * 0.05],
      ["equal", () => 1.25],
      ["grid", () => Math.round(rng.normal() * 8) / 8],
      ["wide", () => rng.normal() * 60],
    ];
    for (const [, draw] of cases) {
      const logits = Float32Array.from({ length: V }, draw);
      for (const [temperature, out] of [
        [0.05, null],
        [0.7, new Float32Array(V)], // weights outside the kernel: head's list, summed in TypeScript
        [1, null],
        [3, null],
      ] as const) {
        const d = distribution(logits, temperature, out, newBands(V));
        const expected = laneMasses(d.bands!.of, d.weights);
        const bm = bandMass(d, d.bands!);
        const got = bm.through(BAND_COUNT - 2);
        expect(Array.from(got.subarray(0, BAND_COUNT - 1))).toEqual(Array.from(expected.subarray(0, BAND_COUNT - 1)));
        expect(bm.idsThrough(7)).toEqual(Int32Array.from([...d.bands!.of.keys()].filter((i) => d.bands!.of[i]! <= 7)));
      }
    }
  });

  it("grow by doubling: asking for band 3 sums bands 0..63 once", () => {
    const logits = Float32Array.from({ length: 1000 }, (_, i) => -i / 50);
    const d = distribution(logits, 1, new Float32Array(1000), newBands(1000));
    const bm = bandMass(d, d.bands!);
    bm.through(3);
    expect(bm.upTo).toBe(63);
    expect(bm.ids.length).toBe(Array.from(d.bands!.of).filter((b) => b <= 63).length);
    bm.through(64);
    expect(bm.upTo).toBe(127);
    expect(bandMass(d, d.bands!)).toBe(bm);
  });
});
