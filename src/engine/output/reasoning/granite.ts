import { firstMarker, heldSuffix, type ReasoningSplitter, type Split } from "./splitter.js";

/** Granite 3.x writes plain sentences, not tags (vLLM accepts "Here's" too: quantized models write it). */
const THOUGHTS = ["Here is my thought process:", "Here's my thought process:"];
const RESPONSES = ["Here is my response:", "Here's my response:"];

/**
 * vLLM's `granite` reasoning parser: output that opens with "Here is my thought process:" is
 * reasoning until "Here is my response:", then content; output that opens otherwise is all content.
 */
export class GraniteSplitter implements ReasoningSplitter {
  private state: "undecided" | "reasoning" | "content" = "undecided";
  private held = "";

  push(text: string): Split {
    const out: Split = { reasoning: "", content: "" };
    let buf = this.held + text;
    this.held = "";
    if (this.state === "undecided") {
      const opening = THOUGHTS.find((t) => buf.startsWith(t));
      if (!opening) {
        if (THOUGHTS.some((t) => t.startsWith(buf))) return ((this.held = buf), out);
        this.state = "content";
      } else [buf, this.state] = [buf.slice(opening.length), "reasoning"];
    }
    if (this.state === "content") return ((out.content = buf), out);
    const end = firstMarker(buf, RESPONSES);
    if (end) {
      out.reasoning = buf.slice(0, end.at);
      out.content = buf.slice(end.at + end.marker.length);
      this.state = "content";
      return out;
    }
    const keep = heldSuffix(buf, RESPONSES);
    this.held = buf.slice(buf.length - keep);
    out.reasoning = buf.slice(0, buf.length - keep);
    return out;
  }

  finish(): Split {
    const held = this.held;
    this.held = "";
    return this.state === "reasoning" ? { reasoning: held, content: "" } : { reasoning: "", content: held };
  }
}
