/**
 * The transcript: every piece of model or user text goes in through textContent, never as HTML, so
 * nothing a message or a model says can create an element or run a script.
 */
import type { TokenLogprob } from "../index.js";

export interface AnswerView {
  readonly item: HTMLLIElement;
  append(text: string, logprobs: TokenLogprob[] | null): void;
  reasoning(text: string): void;
  stats(text: string): void;
}

export class Transcript {
  constructor(private readonly list: HTMLOListElement) {}

  clear(): void {
    this.list.replaceChildren();
  }

  user(text: string): HTMLLIElement {
    return this.add("user", "You", text);
  }

  tool(text: string): HTMLLIElement {
    return this.add("tool", "Tool", text);
  }

  /** Remove the entries from `item` on (regenerate / edit). */
  truncateFrom(item: Element): void {
    while (item.nextSibling) item.nextSibling.remove();
    item.remove();
  }

  answer(): AnswerView {
    const item = this.add("assistant", "Assistant", "");
    const think = item.appendChild(el("span", "reasoning"));
    const body = item.appendChild(el("span", "body"));
    const stats = item.appendChild(el("span", "stats"));
    return {
      item,
      append(text, logprobs) {
        if (!logprobs?.length) {
          body.append(text);
          return;
        }
        for (const lp of logprobs) body.append(tokenSpan(lp));
      },
      reasoning(text) {
        think.append(text);
      },
      stats(text) {
        stats.textContent = text;
      },
    };
  }

  private add(kind: string, who: string, text: string): HTMLLIElement {
    const item = el("li", kind) as HTMLLIElement;
    item.append(el("span", "who", who), text);
    this.list.append(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }
}

function el(tag: string, cls: string, text = ""): HTMLElement {
  const e = document.createElement(tag);
  e.className = cls;
  e.textContent = text;
  return e;
}

/** A token colored by its probability, carrying its alternatives for the tooltip. */
function tokenSpan(lp: TokenLogprob): HTMLElement {
  const p = Math.exp(lp.logprob);
  const span = el("span", "token", lp.token);
  span.tabIndex = 0;
  span.dataset.prob = p.toFixed(4);
  span.dataset.alternatives = JSON.stringify(lp.top_logprobs.map((t) => [t.token, Math.exp(t.logprob)]));
  // Red for unlikely, green for likely; light enough to read black text over.
  span.style.backgroundColor = `hsl(${Math.round(120 * p)} 80% 85%)`;
  span.setAttribute("aria-label", `${lp.token}, probability ${(100 * p).toFixed(1)}%`);
  return span;
}

/** Show the alternatives of the token under the pointer or in focus. */
export function tokenTooltip(root: HTMLElement, tip: HTMLElement): void {
  const show = (target: EventTarget | null) => {
    const span = target instanceof HTMLElement && target.classList.contains("token") ? target : null;
    if (!span) return void (tip.hidden = true);
    const alts = JSON.parse(span.dataset.alternatives ?? "[]") as [string, number][];
    tip.textContent = [
      `p = ${(100 * Number(span.dataset.prob)).toFixed(1)}%`,
      ...alts.map(([t, p]) => `${JSON.stringify(t)}  ${(100 * p).toFixed(1)}%`),
    ].join("\n");
    const r = span.getBoundingClientRect();
    tip.style.left = `${Math.max(4, Math.min(r.left, innerWidth - 240))}px`;
    tip.style.top = `${r.bottom + 4}px`;
    tip.hidden = false;
    span.setAttribute("aria-describedby", tip.id);
  };
  root.addEventListener("mouseover", (e) => show(e.target));
  root.addEventListener("focusin", (e) => show(e.target));
  root.addEventListener("mouseleave", () => (tip.hidden = true));
  root.addEventListener("focusout", () => (tip.hidden = true));
}
