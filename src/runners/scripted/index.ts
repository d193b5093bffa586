import type { TextTokenizer } from "../plugin.js";
import type { ModelRunner } from "../runner.js";
import { replyText, type ModelScript, type ScriptedReply } from "./script.js";

/** Logit of every token but the scripted one: exp(-1e4) is 0 in float, at any temperature. */
const OFF = -1e4;
// No newline inside or after the tags: reasoning parsers (as vLLM's) keep the text on both sides
// verbatim, so the reasoning and the answer come out as scripted.
const THINK_OPEN = "<think>";
const THINK_CLOSE = "</think>";

/**
 * A ModelRunner with no weights: its logits put all the probability on the next token of the
 * scripted reply, so the real engine (template, tokenizer, sampler, logprobs, stream chunks,
 * tool-call and reasoning parsers, usage) turns the script into the response. It reads the
 * conversation from the tokens it is fed, as a model would: the reply starts after the last
 * `<|im_start|>assistant\n` (the Qwen3 chat format of the tokenizer it is loaded with).
 */
export class ScriptedRunner implements ModelRunner {
  private tokens: number[] = [];
  private readonly header: number[];
  private readonly imStart: number;
  private readonly endId: number;
  /** The planned reply tokens per answer start, so BPE boundaries stay those first chosen. */
  private plan: { start: number; ids: number[] } | null = null;

  constructor(
    private readonly script: ModelScript,
    private readonly tokenizer: TextTokenizer,
    readonly vocabSize: number,
    readonly contextWindow: number,
  ) {
    const id = (t: string) => {
      const found = tokenizer.tokenId(t);
      if (found === undefined) throw new Error(`the scripted model needs a tokenizer with ${t} (Qwen3's chat format)`);
      return found;
    };
    this.imStart = id("<|im_start|>");
    this.endId = id("<|im_end|>");
    this.header = [this.imStart, ...tokenizer.encode("assistant\n")];
  }

  async forward(tokens: Int32Array, opts: { allLogits?: boolean } = {}): Promise<Float32Array> {
    for (const t of tokens) this.tokens.push(t);
    if (this.tokens.length > this.contextWindow) throw new Error(`context window of ${this.contextWindow} tokens exceeded`);
    const next = this.nextToken();
    const rows = opts.allLogits ? tokens.length : 1;
    const out = new Float32Array(rows * this.vocabSize);
    // Earlier positions (prompt_logprobs) get a flat distribution: a script says nothing about them.
    out.fill(OFF, (rows - 1) * this.vocabSize);
    out[(rows - 1) * this.vocabSize + next] = 0;
    return out;
  }

  reset(): void {
    this.tokens = [];
    this.plan = null;
  }

  cachedTokens(): number {
    return this.tokens.length;
  }

  truncate(length: number): void {
    this.tokens.length = Math.min(length, this.tokens.length);
  }

  async dispose(): Promise<void> {
    this.tokenizer.dispose();
  }

  private nextToken(): number {
    const start = this.answerStart();
    if (start < 0) return this.endId; // no assistant turn to write (e.g. add_generation_prompt: false)
    const written = this.tokens.slice(start);
    if (this.plan?.start !== start || !startsWith(this.plan.ids, written))
      this.plan = { start, ids: this.planReply(start, written) };
    return this.plan.ids[written.length] ?? this.endId;
  }

  /** The whole reply for the answer starting at `start`, keeping what is already written. */
  private planReply(start: number, written: number[]): number[] {
    const { reasoning, answer } = replyText(this.pickReply(start));
    const prefilled = this.tokenizer.decode(written);
    const thinking = reasoning !== null ? THINK_OPEN + reasoning + THINK_CLOSE : "";
    // The template may have written part of the reply (Qwen3 prefills an empty think block when
    // thinking is off; a continued message may leave <think> open): write only what is missing.
    let full = thinking + answer;
    if (!full.startsWith(prefilled)) {
      const closed = prefilled.lastIndexOf(THINK_CLOSE);
      // A closed block (and the blank line the template put after it) stays; the answer follows.
      if (closed >= 0)
        full = prefilled.slice(0, closed) + THINK_CLOSE + /^\s*/.exec(prefilled.slice(closed + THINK_CLOSE.length))![0] + answer;
      else if (prefilled.startsWith(THINK_OPEN)) full = prefilled + (reasoning ?? "") + THINK_CLOSE + answer;
    }
    if (full.startsWith(prefilled)) return [...written, ...this.tokenizer.encode(full.slice(prefilled.length))];
    throw new Error(`the scripted reply does not continue what the prompt already wrote: ${JSON.stringify(prefilled)}`);
  }

  private pickReply(start: number): ScriptedReply {
    const headerAt = start - this.header.length;
    const lastMessageAt = this.tokens.lastIndexOf(this.imStart, headerAt - 1);
    const lastMessage = this.tokenizer.decode(this.tokens.slice(Math.max(0, lastMessageAt), headerAt));
    const matched = this.script.find((r) => r.when !== undefined && lastMessage.includes(r.when));
    if (matched) return matched;
    let turn = 0;
    for (let i = 0; i < headerAt; i++) if (this.isHeader(i)) turn++;
    const byTurn = this.script.filter((r) => r.when === undefined);
    const reply = byTurn[turn];
    if (reply) return reply;
    throw new Error(
      `the model script has no reply for turn ${turn + 1} (${byTurn.length} by turn) nor one whose "when" is in the last message: ${JSON.stringify(lastMessage.slice(0, 200))}`,
    );
  }

  /** Where the reply being written starts: after the last assistant header, or -1. */
  private answerStart(): number {
    for (let i = this.tokens.length - this.header.length; i >= 0; i--) if (this.isHeader(i)) return i + this.header.length;
    return -1;
  }

  private isHeader(i: number): boolean {
    return this.header.every((t, k) => this.tokens[i + k] === t);
  }
}

function startsWith(ids: number[], prefix: number[]): boolean {
  return prefix.length <= ids.length && prefix.every((t, i) => ids[i] === t);
}
