import type { ChatCompletionChunk } from "../protocol/response.js";

/** Chunks buffered in the page before the worker is made to wait. */
const HIGH_WATER = 4;

/**
 * A streamed completion: an async iterable of chunks with an AbortController, like the openai
 * client's Stream. Chunks arrive in batches (those the worker had ready together). Once the page
 * holds HIGH_WATER unread chunks, each further batch's callback stays pending until the reader
 * catches up; the worker keeps at most SEND_WINDOW chunks unanswered, so a slow reader slows
 * generation instead of growing a buffer past HIGH_WATER + SEND_WINDOW.
 */
export class ChatStream implements AsyncIterable<ChatCompletionChunk> {
  readonly controller = new AbortController();
  private readonly buffer: ChatCompletionChunk[] = [];
  private ended = false;
  private failure: unknown = undefined;
  private wakeReader: (() => void) | undefined;
  private readonly waitingWriters: (() => void)[] = [];
  private iterating = false;
  private closed = false;

  /** Called with each batch of chunks from the worker; resolves when there is room for more. */
  push = (batch: readonly ChatCompletionChunk[]): Promise<void> | void => {
    if (this.ended || this.closed) return;
    for (const chunk of batch) this.buffer.push(chunk);
    this.wake();
    if (this.buffer.length < HIGH_WATER) return;
    return new Promise((resolve) => this.waitingWriters.push(resolve));
  };

  /** The worker finished (or failed): the reader drains what is buffered, then ends or throws. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.wake();
    this.release();
  }

  /** Chunks received from the worker and not yet read (below HIGH_WATER + SEND_WINDOW = 24). */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Throws what the stream ended with, if it failed. */
  failed(): void {
    if (this.ended && this.failure !== undefined) throw this.failure;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    if (this.iterating) throw new Error("A ChatStream can be iterated once; collect the chunks if you need them twice.");
    this.iterating = true;
    try {
      for (;;) {
        const chunk = this.buffer.shift();
        if (chunk) {
          if (this.buffer.length < HIGH_WATER) this.release();
          yield chunk;
          continue;
        }
        if (this.ended) {
          if (this.failure !== undefined) throw this.failure;
          return;
        }
        await new Promise<void>((resolve) => (this.wakeReader = resolve));
      }
    } finally {
      // A reader that stops early (break, return, throw) no longer wants the rest.
      this.closed = true;
      if (!this.ended) this.controller.abort();
      this.buffer.length = 0;
      this.release();
    }
  }

  private wake(): void {
    const w = this.wakeReader;
    this.wakeReader = undefined;
    w?.();
  }

  private release(): void {
    for (const w of this.waitingWriters.splice(0)) w();
  }
}
