import type { Page } from "@playwright/test";
import type { ErrorInfo } from "./support/error-info.js";
import { clientTest, expect } from "./support/fixtures.js";
import type { ChatCompletion } from "../../src/index.js";

type Result = ChatCompletion | ErrorInfo;

const test = clientTest;
test.beforeAll(async ({ client }) => {
  await client.evaluate(() => window.client.processors.start());
});
test.describe.configure({ mode: "serial" });

const messages = [{ role: "user", content: "Count to three." }];
const create = (page: Page, body: Record<string, unknown>) =>
  page.evaluate((b) => window.client.processors.create(b), { messages, ...body }) as Promise<Result>;
const ok = async (page: Page, body: Record<string, unknown>) => {
  const r = await create(page, body);
  if ("error" in r) throw new Error(JSON.stringify(r.error));
  return r.choices[0]!;
};

test("processors registered in the worker run when a request names them, with its args and kwargs", async ({ client }) => {
  const base = { temperature: 0, max_tokens: 4, return_token_ids: true, ignore_eos: true };
  const greedy = (await ok(client, base)).token_ids!;
  // Banning the greedy first token changes the first pick; the rest of the chain (bias etc.) still runs.
  const banned = await ok(client, { ...base, logits_processors: [{ qualname: "ban_ids", args: [[greedy[0]]] }] });
  expect(banned.token_ids![0]).not.toBe(greedy[0]);
  expect(banned.token_ids).not.toContain(greedy[0]);
  // A processor sees the output so far: "force" takes over after the first two tokens, under sampling too.
  const forced = await ok(client, {
    ...base,
    temperature: 1,
    seed: 3,
    logits_processors: [{ qualname: "force", kwargs: { token_id: 9707, after: 2 } }],
  });
  expect(forced.token_ids!.slice(2)).toEqual([9707, 9707]);
  expect(forced.finish_reason).toBe("length");
});

test("an unregistered name, or arguments a factory refuses, are 400s naming the entry", async ({ client }) => {
  const unknown = await create(client, { logits_processors: ["ban_ids", "no_digits"] });
  expect(unknown).toMatchObject({ error: { status: 400, param: "logits_processors.1" } });
  expect((unknown as { error: { message: string } }).error.message).toMatch(/registered: ban_ids, force/);
  const refused = await create(client, { logits_processors: [{ qualname: "force", kwargs: { token_id: "x" } }] });
  expect(refused).toMatchObject({
    error: { status: 400, param: "logits_processors.0", message: expect.stringMatching(/refused its arguments/) },
  });
  // The engine is fine afterwards.
  expect((await ok(client, { max_tokens: 2 })).message.role).toBe("assistant");
});
