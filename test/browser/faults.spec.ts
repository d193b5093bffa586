import { expect, test } from "./support/fixtures.js";

test("runner throws mid-generation: 500 for that request (whole and streamed), then the same seeded output as before; queue empty", async ({
  harness,
}) => {
  test.setTimeout(120_000);
  const r = await harness.evaluate(() => window.harness.faults.runnerFault());
  console.log("runner fault", JSON.stringify(r));
  expect(typeof r.before).toBe("string");
  expect(r.failed).toMatchObject({ error: { status: 500, type: "server_error", code: "internal_error" } });
  expect((r.failed as { error: { message: string } }).error.message).toContain("GPU device was lost (injected fault)");
  expect(r.streamed).toMatchObject({ error: { status: 500, code: "internal_error" } });
  expect(r.chunksBeforeError).toBeGreaterThan(0); // the stream had started: the error ends it
  expect(r.after).toBe(r.before);
  expect(r.prefixReuse).toBe(r.before);
  expect(r.queued).toBe(0);
});

test("a model file that breaks halfway through its download: 503 naming the bytes, nothing half-loaded, the retry loads and answers as a fresh engine does", async ({
  harness,
}) => {
  test.setTimeout(120_000);
  const r = await harness.evaluate(() => window.harness.faults.downloadFault());
  console.log("download fault", JSON.stringify(r).slice(0, 400));
  expect(r.failed).toMatchObject({
    error: { status: 503, type: "service_unavailable_error", param: "model", code: "model_fetch_failed" },
  });
  expect((r.failed as { error: { message: string } }).error.message).toMatch(
    /model\.safetensors: the connection broke after \d+ of 39194672 bytes/,
  );
  expect(r.modelsAfterFailure).toEqual([]);
  expect(r.retried).toEqual(["tiny-random-qwen3"]);
  expect(r.answer).toBe(await harness.evaluate(() => window.harness.faults.reference()));
});

test("xgrammar's wasm aborting (as it does out of memory): 400 invalid_grammar that says so, then grammars and plain requests work again", async ({
  harness,
}) => {
  test.setTimeout(120_000);
  const r = await harness.evaluate(() => window.harness.faults.grammarCrash());
  console.log("grammar abort", JSON.stringify(r).slice(0, 600));
  expect(r.crashed).toMatchObject({
    error: { status: 400, type: "invalid_request_error", param: "response_format", code: "invalid_grammar" },
  });
  expect((r.crashed as { error: { message: string } }).error.message).toMatch(
    /xgrammar aborted .* out of memory; cached grammars were freed/,
  );
  expect(r.later).toMatch(/^(yes|no)$/);
  expect(r.plain).toBe(await harness.evaluate(() => window.harness.faults.reference()));
});
