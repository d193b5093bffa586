import { describe, expect, it } from "vitest";
import { tokenLabel } from "../../../src/demo/tokens.js";
import { ApiError } from "../../../src/protocol/errors.js";
import { quotaSizes, storageQuotaError } from "../../../src/models/storage-quota.js";

const utf8 = (s: string) => [...new TextEncoder().encode(s)];

describe("tokenLabel: what the logprobs view shows for a token", () => {
  it("shows whole characters as text", () => {
    expect(tokenLabel("Ġhello", utf8(" hello"))).toBe(" hello");
    expect(tokenLabel("x", utf8("مرحبا"))).toBe("مرحبا");
    expect(tokenLabel("x", utf8("𓂀"))).toBe("𓂀");
  });
  it("shows the bytes of a split character as <0xNN>, keeping whole characters around them", () => {
    expect(tokenLabel("Ġâī", [0x20, 0xe2, 0x89])).toBe(" <0xE2><0x89>");
    expect(tokenLabel("Ī", [0x88])).toBe("<0x88>");
    expect(tokenLabel("x", [...utf8("ab"), 0xf0, 0x93])).toBe("ab<0xF0><0x93>");
    expect(tokenLabel("x", [0xff, ...utf8("é")])).toBe("<0xFF>é");
  });
  it("uses the token string when there are no bytes", () => {
    expect(tokenLabel("token_id:42", null)).toBe("token_id:42");
  });
});

describe("storage quota error", () => {
  it("keeps its sizes across the worker boundary (an ApiError rebuilt from its body)", () => {
    const e = storageQuotaError("https://x/model.safetensors", { needed: 39194672, available: 1234 });
    expect([e.status, e.type, e.param, e.code]).toEqual([503, "service_unavailable_error", "model", "storage_quota_exceeded"]);
    const crossed = ApiError.fromBody(e.toJSON());
    expect(quotaSizes(crossed)).toEqual({ needed: 39194672, available: 1234 });
  });
  it("is null for any other error", () => {
    expect(quotaSizes(new ApiError({ type: "server_error", message: "needed 1 bytes, available 2 bytes" }))).toBeNull();
    expect(quotaSizes(new Error("x"))).toBeNull();
  });
});
