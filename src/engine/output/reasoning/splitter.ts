/** One piece of generated text, split into reasoning and answer. */
export interface Split {
  reasoning: string;
  content: string;
}

/**
 * Splits one choice's output into reasoning and content as it is generated. Text that might be the
 * start of a marker is held back until the next piece decides it, so streamed deltas and a whole
 * response agree.
 */
export interface ReasoningSplitter {
  push(text: string): Split;
  /** The end of the output: what was held back is what it looked like. */
  finish(): Split;
}

/** Length of the longest suffix of `text` that is a proper prefix of one of `markers` (text to hold back). */
export function heldSuffix(text: string, markers: readonly string[]): number {
  let best = 0;
  for (const m of markers)
    for (let k = Math.min(m.length - 1, text.length); k > best; k--) if (text.endsWith(m.slice(0, k))) best = k;
  return best;
}

/** The first of `markers` in `text` from `from`: its index and which, or null. */
export function firstMarker(text: string, markers: readonly string[]): { at: number; marker: string } | null {
  let found: { at: number; marker: string } | null = null;
  for (const marker of markers) {
    const at = text.indexOf(marker);
    if (at >= 0 && (!found || at < found.at)) found = { at, marker };
  }
  return found;
}
