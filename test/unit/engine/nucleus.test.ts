import { describe, expect, it } from "vitest";
import { bandMass } from "../../../src/engine/sampling/band-mass.js";
import { distribution, newBands } from "../../../src/engine/sampling/distribution.js";
import { nucleus } from "../../../src/engine/sampling/nucleus.js";
import { Prng } from "../../../src/engine/sampling/prng.js";

describe("top_p nucleus", () => {
  it("orders the crossing band as a comparator sort does: logit descending, ties (and -0 with +0) by lower id", () => {
    const rng = new Prng(7);
    for (const V of [50, 5000, 151936]) {
      for (const kind of ["normal", "grid", "zeros"] as const) {
        const logits = Float32Array.from({ length: V }, () => {
          const x = rng.normal() * 3;
          if (kind === "grid") return Math.round(x * 4) / 4;
          if (kind === "zeros") return rng.next() < 0.5 ? (rng.next() < 0.5 ? -0 : 0) : x / 10;
          return x;
        });
        for (const topP of [0.1, 0.5, 0.9, 0.99]) {
          const d = distribution(logits, 0.8, new Float32Array(V), newBands(V));
          const n = nucleus(logits, d, topP);
          const w = d.weights;
          const edge = Array.from(n.listed)
            .filter((i) => n.of[i] === n.cross && w[i] !== 0)
            .sort((a, b) => logits[b]! - logits[a]! || a - b);
          expect(Array.from(n.edge)).toEqual(edge.slice(0, n.edge.length));
          let kept = 0;
          for (let b = 0; b < n.cross; b++) kept += bandMass(d, d.bands!).mass[b]!;
          for (const i of n.edge) kept += w[i]!;
          expect(n.kept).toBe(kept);
          expect(kept >= topP * d.total || n.edge.length === edge.length).toBe(true);
        }
      }
    }
  });
});
