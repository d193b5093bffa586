/** Chunks sent to the page and not yet taken before the worker waits for the oldest. */
export const SEND_WINDOW = 20;
/**
 * Chunks per message at most: half the window, so one message is read while the next travels. A
 * window of 20 (with the page's HIGH_WATER of 4: the same 24 chunks at most in the page) keeps two
 * messages of 10 in flight (0.56x -> 0.64x raw postMessage's chunk rate against a window of 16).
 */
const MAX_BATCH = SEND_WINDOW / 2;
/** Microtask turns the chunks the source already has may take, together, to come out of its generators. */
const SAME_TURN = 64;
const NOT_YET = Symbol("not yet");

/**
 * Send the chunks through `send` (a Comlink callback: a round trip per call) with up to SEND_WINDOW
 * chunks unanswered, so the stream is not paced by one round trip per chunk, yet a page that stops
 * taking chunks stops the worker after at most SEND_WINDOW more (the source is never pulled past
 * the window). Chunks the source has ready together (several choices, the role and first content
 * delta, the last token and usage) go in one message; a chunk is never held back waiting for the
 * next one: whatever is not ready within the same turn of the event loop goes in a later message.
 * Calls on one port arrive in order, so the page sees the chunks in order.
 */
export async function sendChunks<T>(source: AsyncIterable<T>, send: (batch: T[]) => unknown): Promise<void> {
  const it = source[Symbol.asyncIterator]();
  const inFlight: { size: number; answered: Promise<unknown> }[] = [];
  let unanswered = 0;
  let pulled: Promise<IteratorResult<T>> | undefined;
  for (let done = false; !done;) {
    while (unanswered >= SEND_WINDOW) {
      const oldest = inFlight.shift()!;
      await oldest.answered;
      unanswered -= oldest.size;
    }
    const first = await (pulled ?? it.next());
    pulled = undefined;
    if (first.done) break;
    const batch = [first.value];
    // One budget of microtasks for the whole batch: what is ready in this turn joins it.
    let turnEnds: Promise<typeof NOT_YET> | undefined;
    while (batch.length < MAX_BATCH && unanswered + batch.length < SEND_WINDOW) {
      const next = it.next();
      const r = await Promise.race([next, (turnEnds ??= afterMicrotasks(SAME_TURN))]);
      if (r === NOT_YET) {
        pulled = next;
        break;
      }
      if (r.done) {
        done = true;
        break;
      }
      batch.push(r.value);
    }
    const answered = Promise.resolve(send(batch));
    answered.catch(() => {}); // awaited below; this only keeps a later failure from going unhandled
    inFlight.push({ size: batch.length, answered });
    unanswered += batch.length;
  }
  await Promise.all(inFlight.map((b) => b.answered));
}

/** NOT_YET after `n` microtasks: before any task (a timer, a message) can run. */
function afterMicrotasks(n: number): Promise<typeof NOT_YET> {
  let later: Promise<typeof NOT_YET> = Promise.resolve(NOT_YET);
  for (let i = 0; i < n; i++) later = later.then((x) => x);
  return later;
}
