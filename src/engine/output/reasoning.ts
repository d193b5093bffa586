import { partialSuffix } from "./json-scan.js";

const OPEN = "<think>";
const CLOSE = "</think>";

export interface Split {
  reasoning: string;
  content: string;
}

/**
 * Splits `<think>...</think>` (Qwen3, DeepSeek-R1) from the answer, incrementally. Reasoning is the
 * text inside; a reply that opens with <think> (or a prompt that left one open) starts inside. Text
 * that might be part of a tag is held back until the next piece decides it.
 */
export class ReasoningSplitter {
  private state: "start" | "inside" | "answer-start" | "answer";
  private held = "";

  /** `openInPrompt`: the prompt ends inside <think> (a template that opens it, or a continued message). */
  constructor(openInPrompt: boolean) {
    this.state = openInPrompt ? "inside" : "start";
  }

  push(text: string): Split {
    const out: Split = { reasoning: "", content: "" };
    let buf = this.held + text;
    this.held = "";
    for (;;) {
      if (this.state === "start") {
        const lead = buf.length - buf.trimStart().length;
        const rest = buf.slice(lead);
        if (rest.startsWith(OPEN)) {
          buf = rest.slice(OPEN.length);
          this.state = "inside";
          continue;
        }
        if (OPEN.startsWith(rest)) return ((this.held = buf), out); // undecided (empty or a piece of "<think>")
        this.state = "answer";
        continue;
      }
      if (this.state === "inside") {
        const close = buf.indexOf(CLOSE);
        if (close >= 0) {
          out.reasoning += buf.slice(0, close);
          buf = buf.slice(close + CLOSE.length);
          this.state = "answer-start";
          continue;
        }
        const keep = partialSuffix(buf, CLOSE);
        out.reasoning += buf.slice(0, buf.length - keep);
        this.held = buf.slice(buf.length - keep);
        return out;
      }
      if (this.state === "answer-start") {
        // The blank line templates put after </think> is layout, not answer.
        buf = buf.trimStart();
        if (!buf) return out;
        this.state = "answer";
      }
      out.content += buf;
      return out;
    }
  }

  /** The end of the output: what was held back is what it looked like. */
  finish(): Split {
    const held = this.held;
    this.held = "";
    // Text is held back only at the start (a possible "<think>") or inside (a possible "</think>").
    return this.state === "inside" ? { reasoning: held, content: "" } : { reasoning: "", content: held };
  }
}

/** Whether a prompt leaves a <think> block open for the model to continue. */
export function endsInsideThink(promptTail: string): boolean {
  return promptTail.lastIndexOf(OPEN) > promptTail.lastIndexOf(CLOSE);
}
