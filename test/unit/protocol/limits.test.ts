import { describe, expect, it } from "vitest";
import { ApiError, checkRequestShape, DEFAULT_LIMITS, resolveLimits, validateRequest } from "../../../src/protocol/index.js";
import { thrown } from "../support/thrown.js";

const nested = (depth: number): unknown => {
  let v: unknown = "x";
  for (let d = 0; d < depth; d++) v = d % 2 ? [v] : { a: v };
  return v;
};
const user = (content: string) => ({ role: "user", content });

describe("request depth", () => {
  it("rejects requests nested past the limit with a 400, without recursing (100,000 levels)", () => {
    for (const depth of [DEFAULT_LIMITS.maxDepth + 1, 100_000]) {
      const err = thrown(() => validateRequest({ messages: [user("hi")], extra_body: nested(depth) }));
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 400, code: "too_deep" });
    }
  });

  it("lets a deep but reasonable JSON schema through", () => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 10; i++) schema = { type: "object", properties: { child: schema } };
    expect(() =>
      validateRequest({
        messages: [user("hi")],
        response_format: { type: "json_schema", json_schema: { name: "deep", schema } },
      }),
    ).not.toThrow();
  });
});

describe("request size", () => {
  const body = (content: string) => ({ model: "m", messages: [user(content)] });

  it("measures close to the JSON body's UTF-8 bytes, multi-byte characters included", () => {
    for (const content of ["a".repeat(5000), "é".repeat(5000), "語".repeat(5000), "😀".repeat(5000)]) {
      const exact = new TextEncoder().encode(JSON.stringify(body(content))).length;
      expect(() => checkRequestShape(body(content), { maxDepth: 64, maxBodyBytes: exact + 16 })).not.toThrow();
      expect(thrown(() => checkRequestShape(body(content), { maxDepth: 64, maxBodyBytes: exact - 32 }))).toMatchObject({
        status: 413,
        type: "request_too_large",
        code: "body_too_large",
      });
    }
  });

  it("a million messages stop at the size limit with a 413 naming the setting", () => {
    const many = { messages: Array.from({ length: 1_000_000 }, () => user("hello")) };
    const err = thrown(() => checkRequestShape(many, { maxDepth: 64, maxBodyBytes: 1024 }));
    expect(err).toMatchObject({ status: 413, code: "body_too_large" });
    expect((err as Error).message).toContain("limits.maxBodyBytes");
  });
});

describe("messages count", () => {
  it("413 too_many_messages past limits.maxMessages, with both numbers", () => {
    const messages = Array.from({ length: 5 }, (_, i) => user(String(i)));
    expect(() => validateRequest({ messages }, { ...DEFAULT_LIMITS, maxMessages: 5 })).not.toThrow();
    const err = thrown(() => validateRequest({ messages }, { ...DEFAULT_LIMITS, maxMessages: 4 }));
    expect(err).toMatchObject({ status: 413, type: "request_too_large", param: "messages", code: "too_many_messages" });
    expect((err as Error).message).toMatch(/5 messages; the limit is 4/);
  });
});

describe("resolveLimits", () => {
  it("overlays the given bounds on the defaults", () => {
    expect(resolveLimits({ maxN: 4 })).toEqual({ ...DEFAULT_LIMITS, maxN: 4 });
  });
  it("refuses unknown names and bounds that are not positive numbers", () => {
    expect(() => resolveLimits({ maxQueu: 3 } as never)).toThrow(/Unknown limit "maxQueu"/);
    expect(() => resolveLimits({ maxQueue: 0 })).toThrow(/positive number/);
    expect(() => resolveLimits({ maxQueue: Number.NaN })).toThrow(/positive number/);
  });
});
