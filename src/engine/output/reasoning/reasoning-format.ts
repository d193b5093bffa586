import type { ReasoningFormat } from "../../../protocol/parser-names.js";
import { GraniteSplitter } from "./granite.js";
import { HarmonySplitter } from "./harmony.js";
import type { ReasoningSplitter } from "./splitter.js";
import { TagSplitter, type TagRules } from "./tag-splitter.js";

/** What a request tells a reasoning parser. */
export interface ReasoningContext {
  /** The end of the prompt as text, special tokens included: whether the template opened or closed reasoning. */
  promptTail: string;
  /** The request's chat_template_kwargs (enable_thinking, thinking). */
  kwargs: Readonly<Record<string, unknown>>;
  /**
   * The parser was detected from the chat template, not named by the model record: vLLM parses no
   * reasoning without --reasoning-parser, so a detected parser only splits what the output (or the
   * prompt) marks as reasoning, instead of assuming the output starts inside it.
   */
  detected: boolean;
}

/**
 * The special tokens by which vLLM's structured-output manager sees reasoning end: it applies a
 * request's grammar only after the reasoning parser says reasoning ended (is_reasoning_end).
 */
export interface ReasoningMarkers {
  /** Opens reasoning: the prompt's last marker being this means the output starts in reasoning. */
  open: string;
  /** End reasoning; the grammar starts after them. */
  ends: readonly string[];
  /** End reasoning and are the content's first token (a tool call): the grammar starts with them. */
  implicitEnds: readonly string[];
  /** Bound a turn: the prompt is read back only to the last of them. */
  boundaries: readonly string[];
}

export interface ReasoningParser {
  /** Whether a chat template is written for this family. */
  detect(template: string): boolean;
  /** Its markers are special tokens, which decoding must keep for it to see them. */
  keepSpecialTokens: boolean;
  /** A splitter for one choice, or null when this request has no reasoning (thinking turned off). */
  splitter(ctx: ReasoningContext): ReasoningSplitter | null;
  /**
   * The markers that hold this request's grammar back until reasoning ends, or null when the
   * grammar applies from the first token (thinking off, a detected parser, a family not gated).
   */
  grammarWaits(ctx: Pick<ReasoningContext, "kwargs" | "detected">): ReasoningMarkers | null;
}

const THINK = { open: "<think>", close: "</think>" };
const CHATML = "<|im_start|>";
const TOOL_CALL = "<tool_call>";

/** No grammar gating: the grammar applies from the first token, as before vLLM's parser gating. */
const fromStart = () => null;
const DEEPSEEK = "<｜Assistant｜>";

/** Where the prompt leaves reasoning: opened (its last marker is `open`), closed, or neither (after `boundary`). */
function promptLeaves(tail: string, open: string, close: string, boundary?: string): "open" | "closed" | "none" {
  const o = tail.lastIndexOf(open);
  const c = tail.lastIndexOf(close);
  const b = boundary ? tail.lastIndexOf(boundary) : -1;
  if (Math.max(o, c) <= b) return "none";
  return o > c ? "open" : "closed";
}

/**
 * The start rule of a parser that assumes the output starts inside reasoning: unless the prompt
 * closed it; when detected, only where the prompt opened it or the output opens it.
 */
function startOf(ctx: ReasoningContext, leaves: "open" | "closed" | "none"): TagRules["start"] {
  if (leaves === "closed") return "content";
  if (leaves === "open" || !ctx.detected) return "reasoning";
  return "if-opened";
}

/**
 * vLLM's `qwen3`: `<think>` is in the prompt (Qwen3.5, Qwen3-2507) or the output (older Qwen3), so
 * everything before `</think>` is reasoning; a `<tool_call>` ends reasoning too; enable_thinking
 * false (or a prompt that closed the block) makes it all content.
 */
const qwen3: ReasoningParser = {
  detect: (t) => t.includes(THINK.open) && t.includes(CHATML),
  keepSpecialTokens: false,
  splitter(ctx) {
    if (ctx.kwargs.enable_thinking === false) return null;
    const leaves = promptLeaves(ctx.promptTail, THINK.open, THINK.close, CHATML);
    return new TagSplitter({ ...THINK, start: startOf(ctx, leaves), implicitEnds: [TOOL_CALL], dropStrayClose: true });
  },
  // vLLM's Qwen3Parser (a ParserEngine): </think> ends reasoning, <tool_call> too (and is content);
  // the prompt is read back to the last <|im_start|> / <|im_end|>.
  grammarWaits: (ctx) =>
    ctx.detected || ctx.kwargs.enable_thinking === false
      ? null
      : { open: THINK.open, ends: [THINK.close], implicitEnds: [TOOL_CALL], boundaries: [CHATML, "<|im_end|>"] },
};

/** vLLM's `deepseek_r1`: text before `</think>` is reasoning, `<think>` or not; a later `</think>` is text. */
const deepseekR1: ReasoningParser = {
  detect: (t) => t.includes(THINK.close) && (t.includes(DEEPSEEK) || !t.includes(CHATML)),
  keepSpecialTokens: false,
  splitter: (ctx) => new TagSplitter({ ...THINK, start: startOf(ctx, promptLeaves(ctx.promptTail, THINK.open, THINK.close)) }),
  // vLLM's BaseThinkingReasoningParser: the whole prompt is read back for <think> / </think>.
  grammarWaits: (ctx) => (ctx.detected ? null : { open: THINK.open, ends: [THINK.close], implicitEnds: [], boundaries: [] }),
};

/** vLLM's `deepseek_v3` (V3.1+): deepseek_r1 when chat_template_kwargs turns `thinking` (or enable_thinking) on, else no reasoning. */
const deepseekV3: ReasoningParser = {
  detect: (t) => t.includes(DEEPSEEK) && /\bthinking\b/.test(t) && t.includes(THINK.close),
  keepSpecialTokens: false,
  splitter: (ctx) => (ctx.kwargs.thinking || ctx.kwargs.enable_thinking ? deepseekR1.splitter(ctx) : null),
  grammarWaits: (ctx) => (ctx.kwargs.thinking || ctx.kwargs.enable_thinking ? deepseekR1.grammarWaits(ctx) : null),
};

/**
 * vLLM's `mistral` (Magistral): `[THINK]...[/THINK]` special tokens wherever the output opens them;
 * the output starts as content; `[TOOL_CALLS]` ends reasoning; trailing whitespace of reasoning is dropped.
 */
const mistral: ReasoningParser = {
  detect: (t) => t.includes("[THINK]"),
  keepSpecialTokens: true,
  splitter(ctx) {
    const [open, close] = ["[THINK]", "[/THINK]"];
    const opened = ctx.detected && promptLeaves(ctx.promptTail, open, close) === "open";
    return new TagSplitter({
      open,
      close,
      start: opened ? "reasoning" : "content",
      implicitEnds: ["[TOOL_CALLS]"],
      opensInContent: true,
      dropStrayClose: true,
      trimReasoningEnd: true,
    });
  },
  grammarWaits: fromStart,
};

/** vLLM's `granite` (Granite 3.x with thinking on): "Here is my thought process:" ... "Here is my response:". */
const granite: ReasoningParser = {
  detect: (t) => t.includes("thought process"),
  keepSpecialTokens: false,
  splitter: () => new GraniteSplitter(),
  grammarWaits: fromStart,
};

/** vLLM's `openai_gptoss` (gpt-oss): harmony channels, `analysis` being the reasoning. */
const openaiGptoss: ReasoningParser = {
  detect: (t) => t.includes("<|channel|>"),
  keepSpecialTokens: true,
  splitter: () => new HarmonySplitter(),
  grammarWaits: fromStart,
};

/**
 * Every reasoning format the engine reads, by vLLM's --reasoning-parser name (a model record's
 * `reasoning_parser`). A new family is one entry here. Detection asks them in this order.
 */
const PARSERS = {
  openai_gptoss: openaiGptoss,
  mistral,
  granite,
  deepseek_v3: deepseekV3,
  deepseek_r1: deepseekR1,
  qwen3,
} satisfies Record<ReasoningFormat, ReasoningParser>;

/** The record's parser, else the first family the chat template shows (detected), else none. */
export function reasoningParserFor(
  format: ReasoningFormat | null,
  template: string | null,
): { parser: ReasoningParser; detected: boolean } | null {
  if (format) return { parser: PARSERS[format], detected: false };
  const found = template ? Object.values(PARSERS).find((p) => p.detect(template)) : undefined;
  return found ? { parser: found, detected: true } : null;
}
