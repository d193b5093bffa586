/**
 * Requests for a model that is still loading wait here instead of failing with 503/404, as web-llm
 * lets them. When the load ends (loaded or failed) the waiters go on in (priority, arrival) order,
 * so the scheduler they enter next sees them in the queue's usual order.
 */
interface Waiter {
  priority: number;
  seq: number;
  go: () => void;
}

export class LoadGate {
  private readonly loading = new Map<string, number>();
  private waiters: Waiter[] = [];
  private seq = 0;

  /** Mark `id` as loading; call the returned function when its load ends, whatever the outcome. */
  begin(id: string): () => void {
    this.loading.set(id, (this.loading.get(id) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.loading.get(id) ?? 1) - 1;
      if (left) this.loading.set(id, left);
      else this.loading.delete(id);
      this.open();
    };
  }

  /** Whether a request for `model` (none: the first loaded) must wait for a load to end. */
  blocks(model: string | null | undefined, loaded: readonly string[]): boolean {
    if (model == null) return loaded.length === 0 && this.loading.size > 0;
    return this.loading.has(model) && !loaded.includes(model);
  }

  /** Resolve once no load is in flight; an abort rejects with `signal.reason`. */
  wait(priority: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        priority,
        seq: this.seq++,
        go: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(signal?.reason as unknown);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(w);
    });
  }

  private open(): void {
    if (this.loading.size > 0) return;
    const ready = this.waiters.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    this.waiters = [];
    for (const w of ready) w.go();
  }
}
