import { Environment, Interpreter, Template, parse, tokenize } from "@huggingface/jinja";
import { strftime } from "./strftime.js";
import { ApiError } from "../protocol/index.js";
import type { TemplateParams } from "../protocol/index.js";

export interface TemplateLimits {
  /** Longest rendered prompt, in characters. */
  maxChars: number;
  /** Longest `range()` a template may build. */
  maxRange: number;
}

export const DEFAULT_TEMPLATE_LIMITS: TemplateLimits = { maxChars: 4_000_000, maxRange: 100_000 };

const LEXER = { lstrip_blocks: true, trim_blocks: true };
const cache = new Map<string, Template>();
const RESERVED = ["messages", "tools", "documents", "add_generation_prompt", "bos_token", "eos_token", "raise_exception", "range"];

/** Parse once per template text (a few are kept); a syntax error names the line it is near. */
export function compileTemplate(source: string, param: string): Template {
  const hit = cache.get(source);
  if (hit) return hit;
  let t: Template;
  try {
    t = new Template(source);
  } catch (e) {
    const msg = (e as Error).message;
    const line = locateSyntaxError(source, msg);
    throw ApiError.invalid(param, `The chat template does not parse${line ? ` (near line ${line})` : ""}: ${msg}`, "invalid_template");
  }
  if (cache.size >= 16) cache.delete(cache.keys().next().value!);
  cache.set(source, t);
  return t;
}

export interface PromptTokens {
  bos: string | null;
  eos: string | null;
}

/** Render the conversation with the request's template or the model's, HF-style. */
export function renderChat(source: string, param: string, p: TemplateParams, special: PromptTokens, limits = DEFAULT_TEMPLATE_LIMITS): string {
  for (const key of Object.keys(p.chatTemplateKwargs)) {
    if (RESERVED.includes(key)) throw ApiError.invalid(`chat_template_kwargs.${key}`, `chat_template_kwargs cannot set "${key}": the engine sets it from the request.`);
  }
  const template = compileTemplate(source, param);
  // Templates read assistant content as a string even beside tool_calls.
  const messages = p.messages.map((m) => (m.content == null ? { ...m, content: "" } : m));
  const vars: Record<string, unknown> = {
    ...p.chatTemplateKwargs,
    messages,
    add_generation_prompt: p.addGenerationPrompt,
    bos_token: special.bos ?? "",
    eos_token: special.eos ?? "",
  };
  if (p.tools) vars.tools = p.tools;
  if (p.documents) vars.documents = p.documents;
  let out: string;
  try {
    out = render(template, vars, limits);
  } catch (e) {
    throw ApiError.invalid(param, `The chat template failed while rendering this conversation: ${(e as Error).message}`, "template_error");
  }
  if (out.length > limits.maxChars) {
    throw new ApiError(`The rendered prompt has ${out.length} characters, over the limit of ${limits.maxChars}.`, "request_too_large", "messages", "prompt_too_large");
  }
  return p.continueFinalMessage ? cutAfterFinalMessage(out, p) : out;
}

/** continue_final_message: end the prompt right after the last message's text, as Hugging Face does. */
function cutAfterFinalMessage(rendered: string, p: TemplateParams): string {
  const last = p.messages.at(-1)?.content ?? "";
  for (const needle of [last, last.trim()]) {
    const at = needle ? rendered.lastIndexOf(needle) : -1;
    if (at >= 0) return rendered.slice(0, at + needle.length);
  }
  throw ApiError.invalid("continue_final_message", "The chat template does not render the final message's text as given, so it cannot be continued.");
}

/**
 * Template.render with our globals: the same names Hugging Face templates use, but a bounded
 * range(). The template sees only these and the request's data: no JS globals.
 */
function render(template: Template, vars: Record<string, unknown>, limits: TemplateLimits): string {
  const env = new Environment();
  const globals: Record<string, unknown> = {
    false: false,
    true: true,
    none: null,
    False: false,
    True: true,
    None: null,
    raise_exception: (msg: unknown) => {
      throw new Error(String(msg));
    },
    range: boundedRange(limits.maxRange),
    strftime_now: (format: unknown) => strftime(new Date(), String(format)),
  };
  for (const [k, v] of Object.entries({ ...globals, ...vars })) env.set(k, v);
  return String(new Interpreter(env).run(template.parsed).value);
}

function boundedRange(max: number) {
  return (start: number, stop?: number, step = 1): number[] => {
    if (stop === undefined) [start, stop] = [0, start];
    if (step === 0) throw new Error("range() step must not be zero");
    const n = Math.max(0, Math.ceil((stop - start) / step));
    if (n > max) throw new Error(`range() of ${n} items is over the template limit of ${max}`);
    return Array.from({ length: n }, (_, i) => start + i * step);
  };
}

/** The line a syntax error is near: the shortest prefix that fails with the same message. */
function locateSyntaxError(source: string, message: string): number | null {
  const fails = (fn: () => unknown) => {
    try {
      fn();
      return false;
    } catch (e) {
      return (e as Error).message === message;
    }
  };
  const lines = source.split("\n");
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(source, LEXER);
  } catch {
    // A lexer error: the first line count whose prefix fails the same way.
    for (let n = 1; n <= lines.length; n++) if (fails(() => tokenize(lines.slice(0, n).join("\n"), LEXER))) return n;
    return null;
  }
  let lo = 1;
  let hi = tokens.length;
  if (!fails(() => parse(tokens))) return null;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fails(() => parse(tokens.slice(0, mid)))) hi = mid;
    else lo = mid + 1;
  }
  // Walk the source to the failing token.
  let pos = 0;
  for (let i = 0; i < lo; i++) {
    const at = source.indexOf(tokens[i]!.value, pos);
    if (at >= 0) pos = at + (i < lo - 1 ? tokens[i]!.value.length : 0);
  }
  return source.slice(0, pos).split("\n").length;
}
