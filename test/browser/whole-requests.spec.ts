import { answerOf, streamedAnswer, WHOLE_ANSWERS, WHOLE_REQUESTS } from "../fixtures/whole-requests.js";
import { engineCalls } from "./support/engine-calls.js";
import { expect, fileHarnessTest as test } from "./support/fixtures.js";

// The table test/unit/node/whole-requests.test.ts runs in Node: the browser worker gives the same answers.
const { ok, streamed } = engineCalls();
const names = Object.keys(WHOLE_REQUESTS) as (keyof typeof WHOLE_REQUESTS)[];

// Two CPU runs of a 275-token tool prompt per test: long on a loaded machine.
test.describe.configure({ mode: "serial", timeout: 600_000 });

for (const name of names) {
  test(`${name}: the same answer as the engine in Node, non-streamed and streamed`, async ({ harness }) => {
    expect(answerOf(await ok(harness, WHOLE_REQUESTS[name]))).toEqual(WHOLE_ANSWERS[name]);
    expect(streamedAnswer(await streamed(harness, WHOLE_REQUESTS[name]))).toEqual(WHOLE_ANSWERS[name]);
  });
}
