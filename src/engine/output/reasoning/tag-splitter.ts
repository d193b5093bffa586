import { firstMarker, heldSuffix, type ReasoningSplitter, type Split } from "./splitter.js";

/** How one family marks reasoning with an open and a close tag (vLLM's tag-based reasoning parsers). */
export interface TagRules {
  open: string;
  close: string;
  /**
   * Where the output starts: inside reasoning (vLLM's qwen3 and deepseek_r1 assume the prompt opened
   * it), in content, or in content unless the output opens with `open` (after whitespace).
   */
  start: "reasoning" | "content" | "if-opened";
  /** Markers that end reasoning and belong to the content: a tool call written straight from reasoning. */
  implicitEnds?: readonly string[];
  /** `open` in the content starts reasoning (Mistral's [THINK] anywhere); otherwise it is text. */
  opensInContent?: boolean;
  /** A `close` after reasoning ended is dropped (qwen3, mistral); otherwise it is text (deepseek_r1). */
  dropStrayClose?: boolean;
  /** Whitespace at the end of the reasoning is dropped (mistral). */
  trimReasoningEnd?: boolean;
}

/** Reasoning between an open and a close tag, incrementally, by the rules of one family. */
export class TagSplitter implements ReasoningSplitter {
  private state: "undecided" | "reasoning" | "content";
  private held = "";
  /** Trailing whitespace of the reasoning, sent only if more reasoning follows (trimReasoningEnd). */
  private spaces = "";

  constructor(private readonly r: TagRules) {
    this.state = r.start === "if-opened" ? "undecided" : r.start;
  }

  push(text: string): Split {
    const out: Split = { reasoning: "", content: "" };
    let buf = this.held + text;
    this.held = "";
    while (buf) {
      if (this.state === "undecided") {
        const rest = buf.trimStart();
        if (rest.startsWith(this.r.open)) {
          [buf, this.state] = [rest.slice(this.r.open.length), "reasoning"];
        } else if (this.r.open.startsWith(rest)) {
          this.held = buf; // empty, or a piece of the open tag
          return out;
        } else this.state = "content";
      } else if (this.state === "reasoning") buf = this.reasoning(buf, out);
      else buf = this.content(buf, out);
    }
    return out;
  }

  finish(): Split {
    const held = this.held;
    this.held = "";
    if (this.state !== "reasoning") return { reasoning: "", content: held };
    return this.addReasoning(held, { reasoning: "", content: "" }, true);
  }

  /** Reasoning up to the next marker; returns the text still to read. */
  private reasoning(buf: string, out: Split): string {
    const ends = [this.r.close, ...(this.r.implicitEnds ?? [])];
    const next = firstMarker(buf, [this.r.open, ...ends]);
    if (!next) {
      const keep = heldSuffix(buf, [this.r.open, ...ends]);
      this.held = buf.slice(buf.length - keep);
      this.addReasoning(buf.slice(0, buf.length - keep), out, false);
      return "";
    }
    this.addReasoning(buf.slice(0, next.at), out, next.marker === this.r.open ? false : "end");
    if (next.marker === this.r.open) return buf.slice(next.at + next.marker.length); // a repeated open tag is dropped
    this.state = "content";
    // The close tag is dropped; an implicit end (a tool call) is the content's start.
    return next.marker === this.r.close ? buf.slice(next.at + next.marker.length) : buf.slice(next.at);
  }

  private content(buf: string, out: Split): string {
    const markers = [...(this.r.dropStrayClose ? [this.r.close] : []), ...(this.r.opensInContent ? [this.r.open] : [])];
    const next = markers.length ? firstMarker(buf, markers) : null;
    if (!next) {
      const keep = heldSuffix(buf, markers);
      out.content += buf.slice(0, buf.length - keep);
      this.held = buf.slice(buf.length - keep);
      return "";
    }
    out.content += buf.slice(0, next.at);
    if (next.marker === this.r.open) this.state = "reasoning";
    return buf.slice(next.at + next.marker.length);
  }

  /** Add reasoning text; with trimReasoningEnd, whitespace at its end waits for what follows. */
  private addReasoning(text: string, out: Split, end: boolean | "end"): Split {
    if (!this.r.trimReasoningEnd) {
      out.reasoning += text;
      return out;
    }
    const all = this.spaces + text;
    const kept = all.trimEnd();
    out.reasoning += kept;
    this.spaces = end ? "" : all.slice(kept.length);
    return out;
  }
}
