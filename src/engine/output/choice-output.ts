import type { ReasoningSplitter } from "./reasoning.js";
import type { ParsedCall, ToolCallParser } from "./tools/tool-parsers.js";

/** An OpenAI stream tool-call delta. */
export interface ToolCallDelta {
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
  tools: ToolCallParser | null;
  /** parallel_tool_calls false: calls after the first are dropped. */
  parallel: boolean;
}

/**
 * One choice's text on its way out: reasoning split off, tool calls parsed out, content for the rest.
 * Streams and whole responses both go through it, so they always agree.
 */
export class ChoiceOutput {
  private content = ""; // content so far, before the tool-call region
  private region: string | null = null; // text from the first call marker on
  private consumed = 0;
  private emitted = 0; // content characters already sent
  private calls = 0;

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
    return { ...this.parse(split.content, true), reasoning: split.reasoning };
  }

  private parse(text: string, final: boolean): Omit<OutputDelta, "reasoning"> {
    const tools = this.o.tools;
    if (!tools) return { content: text, toolCalls: [] };
    let content = "";
    if (this.region === null) {
      this.content += text;
      const start = tools.start(this.content);
      if (start < 0) {
        const safe = final ? this.content.length : this.content.length - tools.pending(this.content);
        content = this.content.slice(this.emitted, Math.max(safe, this.emitted));
        this.emitted = Math.max(safe, this.emitted);
        return { content, toolCalls: [] };
      }
      content = this.content.slice(this.emitted, start);
      this.region = this.content.slice(start);
      this.emitted = start;
    } else {
      this.region += text;
    }
    const taken = tools.take(this.region.slice(this.consumed), final);
    this.consumed += taken.consumed;
    return { content: content + taken.text, toolCalls: taken.calls.flatMap((c) => this.deltas(c)) };
  }

  /** A call as OpenAI streams it: id, type and name first, then the arguments. */
  private deltas(call: ParsedCall): ToolCallDelta[] {
    if (!this.o.parallel && this.calls >= 1) return [];
    const index = this.calls++;
    return [
      { index, id: toolCallId(), type: "function", function: { name: call.name, arguments: "" } },
      { index, function: { arguments: call.arguments } },
    ];
  }
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** OpenAI-style `call_` + 24 random letters and digits. */
export function toolCallId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return "call_" + Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
}
