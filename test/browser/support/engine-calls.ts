/** Spec-side calls into the harness page's engine (window.harness.engine), shared by the engine specs. */
import type { Page } from "@playwright/test";
import type { ChatCompletion, ChatCompletionChunk } from "../../../src/protocol/index.js";
import type { ErrorInfo } from "./error-info.js";

type Body = Record<string, unknown>;
export type Result = ChatCompletion | ErrorInfo;

/** create / ok / streamed / fail with `defaults` (e.g. the spec's messages) under each body. */
export function engineCalls(defaults: Body = {}) {
  const create = (page: Page, body: Body) =>
    page.evaluate((b) => window.harness.engine.create(b), { ...defaults, ...body }) as Promise<Result>;
  return {
    create,
    /** A completion; an error fails the test with its body. */
    async ok(page: Page, body: Body): Promise<ChatCompletion> {
      const r = await create(page, body);
      if ("error" in r) throw new Error(JSON.stringify(r.error));
      return r;
    },
    /** The chunks of a streamed request (abortAfter: abort once that many arrived). */
    async streamed(page: Page, body: Body, abortAfter?: number): Promise<ChatCompletionChunk[]> {
      const r = await page.evaluate(([b, n]) => window.harness.engine.stream(b, n), [
        { ...defaults, ...body, stream: true },
        abortAfter,
      ] as const);
      if ("error" in r) throw new Error(JSON.stringify(r.error));
      return r;
    },
    /** The error a request must end in. */
    async fail(page: Page, body: Body): Promise<ErrorInfo["error"]> {
      const r = await create(page, body);
      if (!("error" in r)) throw new Error(`expected an error, got ${JSON.stringify(r.choices[0]!.message)}`);
      return r.error;
    },
  };
}
