import type { ReasoningMarkers } from "../output/reasoning/reasoning-format.js";
import type { TokenConstraint } from "./constraint.js";

/** The markers as token ids (a marker that is not one token of this vocabulary is left out). */
interface GateIds {
  open: number | undefined;
  ends: ReadonlySet<number>;
  implicitEnds: ReadonlySet<number>;
  boundaries: ReadonlySet<number>;
}

function gateIds(m: ReasoningMarkers, tokenId: (text: string) => number | undefined): GateIds {
  const ids = (xs: readonly string[]) => new Set(xs.map(tokenId).filter((x): x is number => x !== undefined));
  return { open: tokenId(m.open), ends: ids(m.ends), implicitEnds: ids(m.implicitEnds), boundaries: ids(m.boundaries) };
}

/**
 * vLLM's is_reasoning_end on the prompt: reading back from its end, an end marker means reasoning
 * already ended; the open marker, a turn boundary or the start mean the output starts in it.
 */
function promptEndedReasoning(prompt: ArrayLike<number>, g: GateIds): boolean {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const id = prompt[i]!;
    if (g.ends.has(id) || g.implicitEnds.has(id)) return true;
    if (id === g.open || g.boundaries.has(id)) return false;
  }
  return false;
}

/** A constraint factory held back while reasoning lasts, unless the prompt already ended reasoning. */
export function gatedByReasoning(
  constraint: () => Promise<TokenConstraint>,
  markers: ReasoningMarkers,
  tokenId: (text: string) => number | undefined,
  prompt: ArrayLike<number>,
): () => Promise<TokenConstraint> {
  const ids = gateIds(markers, tokenId);
  if (promptEndedReasoning(prompt, ids)) return constraint;
  return async () => new ReasoningGatedConstraint(await constraint(), ids);
}

/**
 * A grammar held back while the model reasons (vLLM's structured-output manager): no mask and
 * nothing fed until a token ends reasoning. After an end marker the grammar starts with the next
 * token; an implicit end (a tool call's opening token) is fed to the grammar as its first token,
 * or, if the grammar cannot start with it, the grammar starts after it.
 */
class ReasoningGatedConstraint implements TokenConstraint {
  private open = false;

  constructor(
    private readonly inner: TokenConstraint,
    private readonly g: GateIds,
  ) {}

  get terminated(): boolean {
    return this.open && this.inner.terminated;
  }

  async mask(logits: Float32Array): Promise<void> {
    if (this.open) await this.inner.mask(logits);
  }

  accept(token: number): void {
    if (this.open) this.inner.accept(token);
    else this.watch(token);
  }

  tryAccept(token: number): boolean {
    if (this.open) return this.inner.tryAccept(token);
    this.watch(token);
    return true;
  }

  dispose(): void {
    this.inner.dispose();
  }

  private watch(token: number): void {
    if (this.g.ends.has(token)) this.open = true;
    else if (this.g.implicitEnds.has(token)) {
      this.open = true;
      this.inner.tryAccept(token);
    }
  }
}
