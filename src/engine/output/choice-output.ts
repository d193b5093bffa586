import type { ReasoningSplitter } from "./reasoning/splitter.js";
import type { Segment, ToolParser } from "./tools/tool-parser.js";

/** An OpenAI stream tool-call delta. */
interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function: { name?: string; arguments?: string };
}

/** What a piece of generated text turned into. */
export interface OutputDelta {
  content: string;
  reasoning: string;
  toolCalls: ToolCallDelta[];
}

export interface OutputOptions {
  reasoning: ReasoningSplitter | null;
  tools: ToolParser | null;
  /** parallel_tool_calls false: calls after the first are dropped. */
  parallel: boolean;
}

/**
 * One choice's text on its way out: reasoning split off, tool calls parsed out, content for the rest.
 * Streams and whole responses both go through it, so they always agree. A call is announced (id,
 * type, name) as soon as its name is known, then its arguments follow as the model writes them.
 */
export class ChoiceOutput {
  private text = ""; // the content part of the reply so far, which the tool parser reads whole
  private seg = 0; // the segment being passed on
  private sent = 0; // its characters passed on (text, or a call's arguments)
  private call: number | null = null; // its call index once announced (-1: dropped)
  private calls = 0;
  private sawCall = false;
  private layout = true; // at the start or right after a call, where whitespace alone is layout
  private held = "";

  constructor(private readonly o: OutputOptions) {}

  get callCount(): number {
    return this.calls;
  }

  push(text: string): OutputDelta {
    const split = this.o.reasoning ? this.o.reasoning.push(text) : { reasoning: "", content: text };
    return { ...this.parse(split.content, false), reasoning: split.reasoning };
  }

  finish(): OutputDelta {
    const split = this.o.reasoning ? this.o.reasoning.finish() : { reasoning: "", content: "" };
    const out = { ...this.parse(split.content, true), reasoning: split.reasoning };
    if (!this.sawCall) out.content += this.held; // a reply of only whitespace stays as it was
    this.held = "";
    return out;
  }

  private parse(piece: string, final: boolean): Omit<OutputDelta, "reasoning"> {
    if (!this.o.tools) return { content: piece, toolCalls: [] };
    this.text += piece;
    const segments = this.o.tools.scan(this.text, final);
    const out: Omit<OutputDelta, "reasoning"> = { content: "", toolCalls: [] };
    for (let i = this.seg; i < segments.length; i++) {
      if (i > this.seg) [this.seg, this.sent, this.call] = [i, 0, null];
      this.passOn(segments[i]!, out);
    }
    return out;
  }

  /** The part of the current segment not passed on yet. */
  private passOn(s: Segment, out: Omit<OutputDelta, "reasoning">): void {
    if (s.kind === "text") {
      this.content(s.text.slice(this.sent), out);
      this.sent = s.text.length;
      return;
    }
    if (this.call === null) {
      this.sawCall = true;
      this.held = ""; // whitespace between calls is layout
      this.layout = true;
      this.call = this.o.parallel || this.calls === 0 ? this.calls++ : -1;
      if (this.call >= 0)
        out.toolCalls.push({ index: this.call, id: toolCallId(), type: "function", function: { name: s.name, arguments: "" } });
    }
    const args = s.args.slice(this.sent);
    this.sent = s.args.length;
    if (this.call >= 0 && args) out.toolCalls.push({ index: this.call, function: { arguments: args } });
  }

  private content(text: string, out: Omit<OutputDelta, "reasoning">): void {
    if (!this.layout) {
      out.content += text;
      return;
    }
    this.held += text;
    if (!/\S/.test(this.held)) return;
    out.content += this.held;
    this.held = "";
    this.layout = false;
  }
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** OpenAI-style `call_` + 24 random letters and digits. */
function toolCallId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return "call_" + Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
}
