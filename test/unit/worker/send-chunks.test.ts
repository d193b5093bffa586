import { describe, expect, it } from "vitest";
import { SEND_WINDOW, sendChunks } from "../../../src/worker/send-chunks.js";

async function* count(n: number, produced: number[]) {
  for (let i = 0; i < n; i++) {
    produced.push(i);
    yield i;
  }
}

/** A source that waits for a task (as the engine does between tokens) before each chunk but the first. */
async function* paced(n: number, log: string[]) {
  for (let i = 0; i < n; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 1));
    log.push(`made ${i}`);
    yield i;
  }
}

describe("sendChunks", () => {
  it("sends in order with at most SEND_WINDOW unanswered, and stops producing while the receiver holds them", async () => {
    const produced: number[] = [];
    const pending: (() => void)[] = [];
    const got: number[] = [];
    const done = sendChunks(count(30, produced), (batch) => {
      got.push(...batch);
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

  it("chunks ready together share a message (at most half the window each: 10), so 30 instant chunks take 3 messages", async () => {
    const batches: number[][] = [];
    await sendChunks(count(30, []), (batch) => void batches.push(batch));
    expect(batches.flat()).toEqual([...Array(30).keys()]);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 10]);
  });

  it("a chunk is sent at once, not held back until the source has the next", async () => {
    const log: string[] = [];
    await sendChunks(paced(4, log), (batch) => void log.push(`sent ${batch.join()}`));
    expect(log).toEqual(["made 0", "sent 0", "made 1", "sent 1", "made 2", "sent 2", "made 3", "sent 3"]);
  });

  it("a receiver that fails ends the send with its error", async () => {
    const err = new Error("page gone");
    await expect(sendChunks(count(20, []), (b) => (b.includes(3) ? Promise.reject(err) : undefined))).rejects.toBe(err);
  });
});
