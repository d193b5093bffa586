/** Seeded mutations of requests: the property test in Node and the fuzz run in the browser share them. */
import type { Prng } from "../../src/engine/sampling/prng.js";

/** Values that break schemas in different ways. */
export const WEIRD: unknown[] = [
  null,
  undefined,
  0,
  -1,
  1.5,
  NaN,
  Infinity,
  -Infinity,
  2 ** 53 + 2,
  "",
  "x",
  "\ud800",
  "a".repeat(5000),
  true,
  false,
  [],
  [null],
  {},
  { __proto__: { x: 1 } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  [[[[[[]]]]]],
  { role: "user" },
  { type: "function" },
  ["a", 1],
  -0,
  "0",
  "constructor",
];

export function mutate(value: unknown, rng: Prng, depth = 0): unknown {
  const pick = <T>(a: readonly T[]): T => a[rng.nextU32() % a.length]!;
  if (depth > 6 || typeof value !== "object" || value === null || rng.next() < 0.15)
    return rng.next() < 0.7 ? pick(WEIRD) : value;
  if (Array.isArray(value)) {
    const copy = [...value];
    const r = rng.next();
    if (r < 0.2) copy.push(pick(WEIRD));
    else if (r < 0.35 && copy.length) copy.splice(rng.nextU32() % copy.length, 1);
    else if (copy.length) {
      const i = rng.nextU32() % copy.length;
      copy[i] = mutate(copy[i], rng, depth + 1);
    }
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const r = rng.next();
  if (r < 0.15)
    copy[pick(["temprature", "__proto__", "constructor", "extra_body", "n", "stream", "tools", "role"])] = pick(WEIRD);
  else if (r < 0.3 && keys.length) delete copy[pick(keys)];
  else if (keys.length) {
    const k = pick(keys);
    copy[k] = mutate(copy[k], rng, depth + 1);
  }
  return copy;
}
