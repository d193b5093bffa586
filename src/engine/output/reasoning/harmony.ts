import { firstMarker, heldSuffix, type ReasoningSplitter, type Split } from "./splitter.js";

const MESSAGE = "<|message|>";
const ENDS = ["<|end|>", "<|return|>", "<|call|>"];
const HEADER_STARTS = ["<|channel|>", "<|start|>"];

/**
 * gpt-oss's harmony format (vLLM's `openai_gptoss`, which reads it with openai-harmony): the output
 * is messages `<|channel|>NAME<|message|>TEXT<|end|>`, each after `<|start|>assistant` but the
 * first; the `analysis` channel is reasoning, `final` (and `commentary`) the answer. Output that does
 * not open a message is content.
 */
export class HarmonySplitter implements ReasoningSplitter {
  private state: "header" | "body" | "plain" = "header";
  private channel = "";
  private held = "";

  push(text: string): Split {
    const out: Split = { reasoning: "", content: "" };
    let buf = this.held + text;
    this.held = "";
    while (buf) {
      if (this.state === "plain") {
        out.content += buf;
        return out;
      }
      if (this.state === "header") {
        const lead = buf.trimStart();
        if (!HEADER_STARTS.some((h) => lead.startsWith(h))) {
          if (HEADER_STARTS.some((h) => h.startsWith(lead))) return ((this.held = buf), out);
          this.state = "plain";
          continue;
        }
        const at = buf.indexOf(MESSAGE);
        if (at < 0) return ((this.held = buf), out); // the header is read whole
        this.channel = /<\|channel\|>\s*([^\s<]+)/.exec(buf.slice(0, at))?.[1] ?? "";
        [buf, this.state] = [buf.slice(at + MESSAGE.length), "body"];
        continue;
      }
      const end = firstMarker(buf, ENDS);
      const cut = end ? end.at : buf.length - heldSuffix(buf, ENDS);
      if (this.channel === "analysis") out.reasoning += buf.slice(0, cut);
      else out.content += buf.slice(0, cut);
      if (!end) return ((this.held = buf.slice(cut)), out);
      [buf, this.state] = [buf.slice(end.at + end.marker.length), "header"];
    }
    return out;
  }

  finish(): Split {
    const held = this.held;
    this.held = "";
    // A header cut off before its <|message|> carries no text; a body's held piece is its text.
    if (this.state === "header") return { reasoning: "", content: "" };
    return this.state === "body" && this.channel === "analysis"
      ? { reasoning: held, content: "" }
      : { reasoning: "", content: held };
  }
}
