import { Environment, Interpreter, Template, parse, tokenize } from "@huggingface/jinja";
import { strftime } from "./strftime.js";
import { ApiError, DEFAULT_LIMITS, planErrors } from "../../protocol/index.js";
import type { EngineLimits, TemplateParams } from "../../protocol/index.js";

type TemplateLimits = Pick<EngineLimits, "maxTemplateChars" | "maxTemplateRange" | "templateTimeoutMs">;

const LEXER = { lstrip_blocks: true, trim_blocks: true };
const cache = new Map<string, Template>();

/** Parse once per template text (a few are kept); a syntax error names the line it is near. */
function compileTemplate(source: string, param: string): Template {
  const hit = cache.get(source);
  if (hit) return hit;
  let t: Template;
  try {
    t = new Template(source);
  } catch (e) {
    const msg = (e as Error).message;
    throw planErrors.templateSyntaxError(param, locateSyntaxError(source, msg), msg);
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
export function renderChat(
  source: string,
  param: string,
  p: TemplateParams,
  special: PromptTokens,
  limits: TemplateLimits = DEFAULT_LIMITS,
): string {
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
    if (e instanceof ApiError) throw e;
    throw planErrors.templateRenderError(param, (e as Error).message);
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
  throw planErrors.cannotContinueFinalMessage();
}

/**
 * Template.render with our globals: the same names Hugging Face templates use, but a bounded
 * range(). The template sees only these and the request's data: no JS globals. Its run is bounded
 * in time and in the size of any string it builds (see budgeted).
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
    range: boundedRange(limits.maxTemplateRange),
    strftime_now: (format: unknown) => strftime(new Date(), String(format)),
  };
  for (const [k, v] of Object.entries({ ...globals, ...vars })) env.set(k, v);
  const out = String(budgeted(new Interpreter(env), limits).run(template.parsed).value);
  if (out.length > limits.maxTemplateChars) throw planErrors.templateTooLarge(out.length, limits.maxTemplateChars);
  return out;
}

type Evaluate = (node: unknown, env: unknown) => { value?: unknown };

/**
 * Bound a template's run. The interpreter evaluates every expression through `evaluate` and every
 * loop body through `evaluateBlock` (an empty body too), so wrapping both on the instance checks the
 * clock every 64 steps and the length of each string built, before a loop or a doubling string can
 * hold the worker for good. Both are internal to @huggingface/jinja (0.5.x): the template tests fail
 * if they go away.
 */
function budgeted(interp: Interpreter, limits: TemplateLimits): Interpreter {
  const self = interp as unknown as Record<"evaluate" | "evaluateBlock", Evaluate | undefined>;
  const deadline = performance.now() + limits.templateTimeoutMs;
  let steps = 0;
  for (const name of ["evaluate", "evaluateBlock"] as const) {
    const inner = self[name]?.bind(interp);
    if (!inner) continue;
    self[name] = (node, env) => {
      if ((++steps & 63) === 0 && performance.now() > deadline) throw planErrors.templateTimeout(limits.templateTimeoutMs, steps);
      const r = inner(node, env);
      if (typeof r?.value === "string" && r.value.length > limits.maxTemplateChars)
        throw planErrors.templateTooLarge(r.value.length, limits.maxTemplateChars);
      return r;
    };
  }
  return interp;
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
