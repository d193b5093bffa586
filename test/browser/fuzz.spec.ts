import { expect, test } from "@playwright/test";

/** CI runs a few hundred cases; `npm run fuzz` runs 10,000 (FUZZ_COUNT, FUZZ_SEED to change). */
const COUNT = Number(process.env.FUZZ_COUNT ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

test(`fuzz: ${COUNT} seeded requests through create() and engine.fetch never crash the worker or answer 5xx`, async ({
  page,
}) => {
  test.setTimeout(Math.max(180_000, COUNT * 400));
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  await page.goto("/test/browser/support/client.html");
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 60_000 });
  const r = await page.evaluate(([n, seed]) => window.client.fuzz(n, seed), [COUNT, SEED] as const);
  const total = Object.values(r.outcomes).reduce((a, b) => a + b, 0);
  console.log(
    `fuzz seed ${SEED}: ${total} requests\n` +
      Object.entries(r.outcomes)
        .sort()
        .map(([k, v]) => `  ${v}\t${k}`)
        .join("\n"),
  );
  expect(r.failures).toEqual([]);
  expect(total).toBe(COUNT);
  expect(r.sameWorker).toBe(true);
  expect(r.after).toBe("length");
  const ok = Object.entries(r.outcomes)
    .filter(([k]) => k.endsWith(": ok"))
    .reduce((a, [, v]) => a + v, 0);
  expect(ok).toBeGreaterThan(COUNT * 0.05);
  expect(total - ok).toBeGreaterThan(COUNT * 0.3);
});
