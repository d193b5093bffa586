/**
 * The transcript as chat bubbles. Every piece of model or user text goes in as text (textContent,
 * text nodes, or the markdown renderer, which builds elements itself), never as HTML, so nothing a
 * message or a model says can create an element of its choosing or run a script.
 */
import type { TokenLogprob } from "../index.js";
import { renderMarkdown } from "./markdown.js";
import { TokenSpans } from "./tokens.js";

export interface AnswerView {
  readonly item: HTMLLIElement;
  append(text: string, logprobs: TokenLogprob[] | null): void;
  reasoning(text: string): void;
  /** The closing line (finish reason, speed); ends the answer. */
  stats(text: string): void;
}

export class Transcript {
  constructor(
    private readonly list: HTMLOListElement,
    /** Called when the transcript goes from empty to not, or back. */
    private readonly onChange: () => void = () => {},
  ) {}

  get empty(): boolean {
    return !this.list.firstChild;
  }

  clear(): void {
    this.list.replaceChildren();
    this.onChange();
  }

  user(text: string): HTMLLIElement {
    return this.add("user", "You", text);
  }

  /** A tool call and its result; a result starting "error:" is marked as an error. */
  tool(text: string): HTMLLIElement {
    const failed = /→ error: /.test(text);
    return this.add(failed ? "tool tool-error" : "tool", failed ? "Tool error" : "Tool", text);
  }

  notice(text: string): HTMLLIElement {
    return this.add("notice", "", text);
  }

  /** Remove the entries from `item` on (regenerate / edit). */
  truncateFrom(item: Element): void {
    while (item.nextSibling) item.nextSibling.remove();
    item.remove();
    this.onChange();
  }

  answer(who = "Assistant"): AnswerView {
    const item = this.add("assistant", who, "");
    const think = item.appendChild(el("span", "reasoning"));
    const body = item.appendChild(el("div", "body"));
    body.dir = "auto";
    const stats = item.appendChild(el("span", "stats"));
    const tokens = new TokenSpans();
    let text = "";
    return {
      item,
      append(piece, logprobs) {
        if (logprobs?.length) {
          const spans = logprobs.flatMap((lp) => tokens.push(lp));
          // Whole tokens in a chunk with no text are ones the output hides (the stop token): marked as such.
          if (!piece) for (const s of spans) s.classList.add("special");
          body.append(...spans);
          return;
        }
        // Once tokens are shown one by one, later plain text (a tool call line) is added as text.
        if (body.querySelector(".token")) return void body.append(piece);
        text += piece;
        body.classList.add("md");
        renderMarkdown(body, text);
      },
      reasoning(piece) {
        think.append(piece);
      },
      stats(line) {
        body.append(...tokens.flush());
        stats.textContent = line;
      },
    };
  }

  private add(kind: string, who: string, text: string): HTMLLIElement {
    const item = el("li", kind) as HTMLLIElement;
    if (who) item.append(el("span", "who", who));
    item.append(text);
    if (kind === "user") item.dir = "auto";
    this.list.append(item);
    item.scrollIntoView({ block: "end" });
    if (this.list.childElementCount === 1) this.onChange();
    return item;
  }
}

function el(tag: string, cls: string, text = ""): HTMLElement {
  const e = document.createElement(tag);
  e.className = cls;
  e.textContent = text;
  return e;
}
