import { ApiError } from "../../protocol/index.js";

interface Waiter {
  priority: number;
  seq: number;
  start: () => void;
  fail: (e: unknown) => void;
}

/** One request runs at a time; waiting ones go by priority (lower first), then arrival. */
export class Scheduler {
  private running = false;
  private waiting: Waiter[] = [];
  private seq = 0;

  constructor(private readonly maxQueue = 1000) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** Wait for the slot; resolves to a release function. An abort while waiting rejects with `signal.reason`. */
  acquire(priority: number, signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (!this.running) {
      this.running = true;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxQueue) {
      return Promise.reject(
        new ApiError({
          type: "rate_limit_error",
          message: `The queue is full (${this.maxQueue} requests waiting); retry later.`,
          code: "queue_full",
        }),
      );
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        priority,
        seq: this.seq++,
        start: () => {
          signal.removeEventListener("abort", onAbort);
          resolve(this.releaser());
        },
        fail: reject,
      };
      const onAbort = () => {
        this.waiting = this.waiting.filter((x) => x !== w);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      // Insert keeping (priority, seq) order.
      let i = this.waiting.length;
      while (i > 0 && this.waiting[i - 1]!.priority > priority) i--;
      this.waiting.splice(i, 0, w);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next.start();
      else this.running = false;
    };
  }
}
