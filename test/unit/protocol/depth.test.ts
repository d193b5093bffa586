import { describe, expect, it } from "vitest";
import { ApiError, MAX_REQUEST_DEPTH, validateRequest } from "../../../src/protocol/index.js";

const nested = (depth: number): unknown => {
  let v: unknown = "x";
  for (let d = 0; d < depth; d++) v = d % 2 ? [v] : { a: v };
  return v;
};

describe("request depth", () => {
  it("rejects requests nested past the limit with a 400, without recursing (100,000 levels)", () => {
    for (const depth of [MAX_REQUEST_DEPTH + 1, 100_000]) {
      const err = (() => {
        try {
          validateRequest({ messages: [{ role: "user", content: "hi" }], extra_body: nested(depth) });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 400, code: "too_deep" });
    }
  });

  it("lets a deep but reasonable JSON schema through", () => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 10; i++) schema = { type: "object", properties: { child: schema } };
    expect(() => validateRequest({ messages: [{ role: "user", content: "hi" }], response_format: { type: "json_schema", json_schema: { name: "deep", schema } } })).not.toThrow();
  });
});
