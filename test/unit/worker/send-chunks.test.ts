import { describe, expect, it } from "vitest";
import { SEND_WINDOW, sendChunks } from "../../../src/worker/send-chunks.js";

async function* count(n: number, produced: number[]) {
  for (let i = 0; i < n; i++) {
    produced.push(i);
    yield i;
  }
}

describe("sendChunks", () => {
  it("sends in order with at most SEND_WINDOW unanswered, and stops producing while the receiver holds them", async () => {
    const produced: number[] = [];
    const pending: (() => void)[] = [];
    const got: number[] = [];
    const done = sendChunks(count(30, produced), (c) => {
      got.push(c);
      return new Promise<void>((r) => pending.push(r));
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([...Array(SEND_WINDOW).keys()]);
    expect(produced.length).toBe(SEND_WINDOW);
    while (got.length < 30 || pending.length) {
      pending.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    await done;
    expect(got).toEqual([...Array(30).keys()]);
  });

  it("a receiver that fails ends the send with its error", async () => {
    const err = new Error("page gone");
    await expect(sendChunks(count(20, []), (c) => (c === 3 ? Promise.reject(err) : undefined))).rejects.toBe(err);
  });
});
