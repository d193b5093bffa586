import { expect, test } from "./support/fixtures.js";

test("an ApiError thrown in a Worker arrives in the page whole, through Comlink", async ({ harness }) => {
  const invalid = await harness.evaluate(() =>
    window.harness.validateInWorker({ messages: [{ role: "user", content: "x" }], temprature: 1 }),
  );
  expect(invalid).toEqual({
    isApiError: true,
    status: 400,
    type: "invalid_request_error",
    param: "temprature",
    code: "unknown_parameter",
    message: 'Unknown field "temprature". Did you mean "temperature"?',
    body: JSON.stringify({
      error: {
        message: 'Unknown field "temprature". Did you mean "temperature"?',
        type: "invalid_request_error",
        param: "temprature",
        code: "unknown_parameter",
      },
    }),
  });
  const limited = await harness.evaluate(() => window.harness.throwInWorker());
  expect(limited).toMatchObject({ isApiError: true, status: 429, type: "rate_limit_error", code: "queue_full", param: null });
  expect(
    await harness.evaluate(() => window.harness.validateInWorker({ messages: [{ role: "user", content: "x" }] })),
  ).toBeNull();
});
