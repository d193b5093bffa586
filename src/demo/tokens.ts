/**
 * The logprobs view: each token colored by its probability, its alternatives in a tooltip. A token
 * holding only part of a character (byte-level BPE splits one character over tokens) waits for the
 * rest and shows merged with it (whether its entry holds the raw bytes, or is "" as vLLM sends a
 * character's first tokens); bytes that never complete a character show as byte tokens (<0xE4>).
 */
import type { TokenLogprob } from "../index.js";

interface Part {
  label: string;
  p: number;
  alternatives: [string, number][];
}

/** The parts (tokens) behind each span, for the tooltip. */
const partsOf = new WeakMap<HTMLElement, Part[]>();
const strict = new TextDecoder("utf-8", { fatal: true });

const hex = (b: number) => `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`;
const seqLength = (b: number) => (b < 0x80 ? 1 : b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0);

function decode(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/** A token's text as readable: valid characters as they are, stray bytes as <0xNN>. */
export function tokenLabel(token: string, bytes: number[] | null): string {
  if (!bytes) return token;
  const b = Uint8Array.from(bytes);
  const whole = decode(b);
  if (whole !== null) return whole;
  let out = "";
  for (let i = 0; i < b.length;) {
    const n = seqLength(b[i]!);
    const ch = n && i + n <= b.length ? decode(b.subarray(i, i + n)) : null;
    out += ch ?? hex(b[i]!);
    i += ch === null ? 1 : n;
  }
  return out;
}

/** Whether `bytes` ends inside a character that more bytes could complete (and is valid before it). */
function endsMidCharacter(bytes: Uint8Array): boolean {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const n = seqLength(b);
    return n > back && decode(bytes.subarray(0, bytes.length - back)) !== null;
  }
  return false;
}

/** Streamed logprob entries to spans, holding back tokens that end mid-character. */
export class TokenSpans {
  private pending: TokenLogprob[] = [];

  push(lp: TokenLogprob): HTMLElement[] {
    this.pending.push(lp);
    // vLLM's form of a token that starts a character: "" with no bytes; the token that completes
    // the character carries all of it.
    if (lp.token === "" && !lp.bytes?.length) return [];
    const bytes = Uint8Array.from(this.pending.flatMap((x) => x.bytes ?? [...new TextEncoder().encode(x.token)]));
    const text = decode(bytes);
    if (text !== null) return [this.emit(text, false)];
    if (endsMidCharacter(bytes) && bytes.length < 64) return [];
    return this.flush();
  }

  /** What is held back, as byte tokens (the stream ended mid-character). */
  flush(): HTMLElement[] {
    const out = this.pending.map((lp) => span([part(lp)], tokenLabel(lp.token, lp.bytes), true));
    this.pending = [];
    return out;
  }

  private emit(text: string, bytes: boolean): HTMLElement {
    const s = span(this.pending.map(part), text, bytes);
    this.pending = [];
    return s;
  }
}

function part(lp: TokenLogprob): Part {
  return {
    label: tokenLabel(lp.token, lp.bytes),
    p: Math.exp(lp.logprob),
    alternatives: lp.top_logprobs.map((t) => [tokenLabel(t.token, t.bytes), Math.exp(t.logprob)]),
  };
}

function span(parts: Part[], text: string, bytes: boolean): HTMLElement {
  const p = parts.reduce((x, q) => x * q.p, 1);
  const s = document.createElement("span");
  s.className = bytes ? "token bytes" : "token";
  s.textContent = text;
  s.tabIndex = 0;
  s.dataset.prob = p.toFixed(4);
  if (parts.length > 1) s.dataset.tokens = String(parts.length);
  // Red for unlikely, green for likely; light enough to read dark text over.
  s.style.backgroundColor = `hsl(${Math.round(120 * p)} 80% 85%)`;
  s.setAttribute("aria-label", `${text}, probability ${(100 * p).toFixed(1)}%`);
  partsOf.set(s, parts);
  return s;
}

const pct = (p: number) => `${(100 * p).toFixed(1)}%`;

/** The tooltip's lines; every token sits in a <bdi>, so right-to-left text cannot reorder a line. */
function fillTip(tip: HTMLElement, parts: Part[]): void {
  tip.replaceChildren();
  const line = (...pieces: (string | Node)[]) => tip.append(...pieces, "\n");
  const isolated = (text: string) => {
    const b = document.createElement("bdi");
    b.textContent = JSON.stringify(text);
    return b;
  };
  const total = parts.reduce((x, q) => x * q.p, 1);
  line(`p = ${pct(total)}`);
  for (const [i, q] of parts.entries()) {
    if (parts.length > 1) line(`token ${i + 1} of ${parts.length}: `, isolated(q.label), `  ${pct(q.p)}`);
    for (const [t, p] of q.alternatives) line(isolated(t), `  ${pct(p)}`);
  }
}

/** Show the alternatives of the token under the pointer or in focus. */
export function tokenTooltip(root: HTMLElement, tip: HTMLElement): void {
  tip.dir = "ltr";
  let marked: HTMLElement | null = null;
  const hide = () => {
    tip.hidden = true;
    marked?.classList.remove("hovered");
    marked = null;
  };
  const show = (target: EventTarget | null) => {
    const span = target instanceof HTMLElement && target.classList.contains("token") ? target : null;
    const parts = span && partsOf.get(span);
    if (!span || !parts) return hide();
    hide();
    fillTip(tip, parts);
    tip.hidden = false;
    span.classList.add("hovered");
    marked = span;
    const r = span.getBoundingClientRect();
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    tip.style.left = `${Math.max(4, Math.min(r.left, innerWidth - w - 4))}px`;
    // Above the token, so the answer's stats line below stays readable; below only when there is no room.
    tip.style.top = `${r.top - h - 4 >= 0 ? r.top - h - 4 : r.bottom + 4}px`;
    span.setAttribute("aria-describedby", tip.id);
  };
  root.addEventListener("mouseover", (e) => show(e.target));
  root.addEventListener("focusin", (e) => show(e.target));
  root.addEventListener("mouseleave", hide);
  root.addEventListener("focusout", hide);
}
