/**
 * Stop strings over streamed text: matched across token boundaries, with the tail that could still
 * become a stop string held back until it cannot.
 */
export class StopStringMatcher {
  private readonly holdBack: number;
  /** Text released to the caller so far. */
  private released = 0;
  private text = "";

  constructor(
    private readonly stops: readonly string[],
    private readonly includeInOutput: boolean,
  ) {
    this.holdBack = stops.length ? Math.max(...stops.map((s) => s.length)) - 1 : 0;
  }

  /**
   * Add generated text. Returns the text safe to emit now, and the stop string when one matched
   * (the output then ends at it, including it only when asked).
   */
  push(piece: string): { emit: string; stop: string | null } {
    const searchFrom = Math.max(0, this.text.length - this.holdBack);
    this.text += piece;
    let best: { at: number; stop: string } | null = null;
    for (const s of this.stops) {
      const at = this.text.indexOf(s, searchFrom);
      if (at >= 0 && (!best || at < best.at)) best = { at, stop: s };
    }
    if (best) {
      const end = this.includeInOutput ? best.at + best.stop.length : best.at;
      this.text = this.text.slice(0, end);
      return { emit: this.take(end), stop: best.stop };
    }
    return { emit: this.take(Math.max(this.released, this.text.length - this.holdBack)), stop: null };
  }

  /** End of generation: release what was held back. */
  finish(): string {
    return this.take(this.text.length);
  }

  get output(): string {
    return this.text;
  }

  private take(upTo: number): string {
    const out = this.text.slice(this.released, upTo);
    this.released = Math.max(this.released, upTo);
    return out;
  }
}
