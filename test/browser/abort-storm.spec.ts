import { expect, test } from "./support/fixtures.js";

test("abort storm: 5 rounds of 20 concurrent streams, 100 aborts at random points: each ends in length or abort, none hangs, the queue is empty", async ({
  harness,
}) => {
  test.setTimeout(240_000);
  const r = await harness.evaluate(() => window.harness.engine.abortStorm(5, 20, 7));
  console.log("abort storm", r);
  const total = Object.values(r.ends).reduce((a, b) => a + b, 0);
  expect(total).toBe(100);
  expect(Object.keys(r.ends).sort()).toEqual(["abort", "length"].filter((k) => k in r.ends));
  expect(r.ends.abort).toBeGreaterThanOrEqual(r.aborts * 0.5); // an abort after the last chunk finds the stream already done
  expect(r.aborts).toBe(100);
  expect(r.queued).toBe(0);
  // The engine still answers normally.
  const after = await harness.evaluate(() =>
    window.harness.engine.create({ messages: [{ role: "user", content: "after" }], max_tokens: 3 }),
  );
  expect("error" in after ? after.error : after.choices[0]!.finish_reason).toBe("length");
});
