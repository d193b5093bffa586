import {
  ApiError,
  normalizeRequest,
  resolveLimits,
  validateRequest,
  type ChatCompletion,
  type ChatCompletionChunk,
  type EngineLimits,
  type NormalizedRequest,
} from "../protocol/index.js";
import type { LoadedModel } from "./model.js";
import { ChoiceOutput } from "./output/choice-output.js";
import { endsInsideThink, ReasoningSplitter } from "./output/reasoning.js";
import { detectToolFormat, needsSpecialTokens, toolCallTag } from "./output/tools/tool-format.js";
import { TOOL_PARSERS } from "./output/tools/tool-parsers.js";
import type { LogitsProcessorFactory } from "./sampling/processors.js";
import { buildPrompt } from "./prompt/prompt.js";
import { collectCompletion, streamChunks, type ResponseMeta } from "./output/responses.js";
import { runRequest, type RunEvent } from "./decode/run.js";
import { Scheduler } from "./schedule/scheduler.js";
import type { ConstraintProvider, GrammarRequest, TokenConstraint } from "./structured/constraint.js";

export interface EngineOptions {
  /** Processors requests may name in `logits_processors`. */
  logitsProcessors?: Record<string, LogitsProcessorFactory>;
  /** Bounds on requests (queue length, messages, n, template, grammar); defaults in DEFAULT_LIMITS. */
  limits?: Partial<EngineLimits>;
  /** Cap the context window below the runner's. */
  contextWindow?: number;
  /** Compiles structured-output grammars (xgrammar in the worker); without it such requests get a 400. */
  constraints?: ConstraintProvider;
}

interface Prepared {
  req: NormalizedRequest;
  model: LoadedModel;
  prompt: Int32Array;
  meta: ResponseMeta;
  /** A fresh grammar matcher per choice, when the request is constrained. */
  constraint?: () => Promise<TokenConstraint>;
  /** A tool-call format whose markers are special tokens keeps them in the text for its parser. */
  skipSpecialTokens: boolean;
}

export const SYSTEM_FINGERPRINT = "webgpu-chat-engine-0.1";

/**
 * The runner-agnostic engine: validate, template, tokenize, queue, generate, respond. Lives in the
 * worker; one request runs at a time per engine.
 */
export class Engine {
  private readonly models = new Map<string, LoadedModel>();
  private readonly scheduler: Scheduler;
  private readonly active = new Map<string, AbortController>();
  readonly limits: EngineLimits;

  constructor(private readonly opts: EngineOptions = {}) {
    this.limits = resolveLimits(opts.limits);
    this.scheduler = new Scheduler(this.limits.maxQueue);
  }

  addModel(model: LoadedModel): void {
    this.models.set(model.id, model);
  }

  async removeModel(id: string): Promise<void> {
    const m = this.models.get(id);
    this.models.delete(id);
    if (m) {
      this.opts.constraints?.forget(m);
      m.tokenizer.dispose();
      await m.runner.dispose();
    }
  }

  modelIds(): string[] {
    return [...this.models.keys()];
  }

  /** The context window requests to `id` get (the runner's, capped by the engine option). */
  contextWindow(id: string): number {
    return this.contextWindowOf(this.models.get(id));
  }

  get queued(): number {
    return this.scheduler.queued;
  }

  /** Cancel a queued or running request by its request_id; false when none is active. */
  cancel(requestId: string): boolean {
    const c = this.active.get(requestId);
    c?.abort(
      new ApiError({
        type: "invalid_request_error",
        message: `request ${requestId} was cancelled`,
        param: "request_id",
        code: "cancelled",
      }),
    );
    return Boolean(c);
  }

  async create(body: unknown, signal?: AbortSignal): Promise<ChatCompletion> {
    const prep = await this.prepare(body);
    return collectCompletion(this.run(prep, signal), prep.req, prep.meta);
  }

  /** Validates (and compiles any grammar) before resolving, so a bad request rejects here rather than mid-stream. */
  async stream(body: unknown, signal?: AbortSignal): Promise<AsyncGenerator<ChatCompletionChunk>> {
    const prep = await this.prepare(body);
    return streamChunks(this.run(prep, signal), prep.req, prep.meta);
  }

  private async prepare(body: unknown): Promise<Prepared> {
    const parsed = validateRequest(body, this.limits);
    const first = this.models.values().next().value;
    const model0 = parsed.model ? this.models.get(parsed.model) : first;
    const ctxWindow = this.contextWindowOf(model0);
    const req = normalizeRequest(parsed, {
      models: this.modelIds(),
      contextWindow: ctxWindow,
      vocabSize: model0?.runner.vocabSize ?? 0,
      logitsProcessors: Object.keys(this.opts.logitsProcessors ?? {}),
      maxN: this.limits.maxN,
    });
    const model = this.models.get(req.model)!;
    if (req.stream && req.sampling.promptLogprobs !== null) {
      throw ApiError.invalid(
        "prompt_logprobs",
        "prompt_logprobs is not available when stream is true (as in vLLM); drop one of them.",
        "conflicting_parameters",
      );
    }
    const source = req.template.chatTemplate ?? model.chatTemplate;
    const format = model.toolFormat ?? detectToolFormat(source);
    const parseTools = req.toolChoice !== "none" && req.template.tools !== null;
    const prompt = buildPrompt(model, req, ctxWindow, this.limits);
    const lastMsg = req.template.messages.at(-1);
    const echo = req.echo && lastMsg?.role === "assistant" ? (lastMsg.content ?? "") : "";
    const id = req.requestId ?? `chatcmpl-${crypto.randomUUID().replaceAll("-", "")}`;
    if (req.requestId && this.active.has(req.requestId)) {
      throw new ApiError({
        type: "conflict_error",
        message: `A request with request_id "${req.requestId}" is already running or queued; use a unique id.`,
        param: "request_id",
        code: "duplicate_request_id",
      });
    }
    const thinks = source?.includes("<think>") ?? false;
    const openThink = thinks && endsInsideThink(model.tokenizer.decode(prompt.slice(-16)));
    const output = () =>
      new ChoiceOutput({
        reasoning: thinks ? new ReasoningSplitter(openThink) : null,
        tools: parseTools ? TOOL_PARSERS[format] : null,
        parallel: req.parallelToolCalls,
      });
    const grammar = grammarRequest(req, format, this.limits.maxGrammarSize);
    let constraint: Prepared["constraint"];
    if (grammar) {
      if (!this.opts.constraints)
        throw ApiError.invalid(
          grammar.param,
          "This engine was built without a grammar backend, so it cannot constrain output.",
          "unsupported_parameter",
        );
      constraint = await this.opts.constraints.prepare(model, grammar);
    }
    const meta = {
      id,
      created: Math.floor(Date.now() / 1000),
      model: model.id,
      systemFingerprint: SYSTEM_FINGERPRINT,
      prompt,
      echo,
      output,
    };
    const skipSpecialTokens = req.sampling.skipSpecialTokens && !(parseTools && needsSpecialTokens(format));
    return { req, model, prompt, meta, constraint, skipSpecialTokens };
  }

  private contextWindowOf(model: LoadedModel | undefined): number {
    const runnerWindow = model?.runner.contextWindow ?? 0;
    return this.opts.contextWindow ? Math.min(this.opts.contextWindow, runnerWindow) : runnerWindow;
  }

  private async *run(prep: Prepared, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) controller.abort(signal.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (prep.req.requestId) this.active.set(prep.req.requestId, controller);
    let release: (() => void) | undefined;
    try {
      try {
        release = await this.scheduler.acquire(prep.req.priority, controller.signal);
      } catch (e) {
        if (!controller.signal.aborted) throw e;
      }
      if (!release) {
        // Aborted while queued: every choice ends as aborted, nothing was generated.
        yield { type: "prompt", cachedTokens: 0, promptLogprobs: null };
        for (let i = 0; i < prep.req.sampling.n; i++)
          yield { type: "choice", index: i, event: { type: "finish", text: "", reason: "abort", stopReason: null } };
        return;
      }
      yield* runRequest({
        model: prep.model,
        req: prep.req,
        prompt: prep.prompt,
        signal: controller.signal,
        contextWindow: this.contextWindowOf(prep.model),
        processors: this.opts.logitsProcessors ?? {},
        constraint: prep.constraint,
        skipSpecialTokens: prep.skipSpecialTokens,
      });
    } finally {
      release?.();
      signal?.removeEventListener("abort", onAbort);
      if (prep.req.requestId && this.active.get(prep.req.requestId) === controller) this.active.delete(prep.req.requestId);
    }
  }
}

/** The grammar a request is held to: its structured-output constraint, or the tool calls tool_choice forces. */
function grammarRequest(
  req: NormalizedRequest,
  format: ReturnType<typeof detectToolFormat>,
  maxSize: number,
): GrammarRequest | null {
  const s = req.sampling;
  const choice = req.toolChoice;
  if (choice === "required" || typeof choice === "object") {
    if (s.structured) {
      throw ApiError.invalid(
        s.structuredParam,
        `tool_choice ${JSON.stringify(choice)} is enforced with a grammar of its own, so it cannot be combined with ${s.structuredParam}; drop one.`,
        "conflicting_parameters",
      );
    }
    const tools = (req.template.tools ?? []).filter((t) => choice === "required" || t.function.name === choice.function.name);
    return {
      constraint: { kind: "structural_tag", tag: JSON.stringify(toolCallTag(format, tools, req.parallelToolCalls)) },
      options: s.structuredOptions,
      param: "tool_choice",
      maxSize,
    };
  }
  return s.structured
    ? { constraint: s.structured, options: s.structuredOptions, param: s.structuredParam ?? "structured_outputs", maxSize }
    : null;
}
