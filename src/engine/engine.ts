import {
  normalizeRequest,
  planErrors,
  resolveLimits,
  validateRequest,
  type ChatCompletion,
  type ChatCompletionChunk,
  type EngineLimits,
  type NormalizedRequest,
  type ParsedRequest,
  type StructuredConstraint,
} from "../protocol/index.js";
import type { Backend } from "../backends/backend.js";
import { requestedModel } from "../protocol/default-model.js";
import type { LoadedModel } from "./model.js";
import { ChoiceOutput } from "./output/choice-output.js";
import { reasoningParserFor, type ReasoningParser } from "./output/reasoning/reasoning-format.js";
import { toolParserFor } from "./output/tools/tool-format.js";
import type { ToolParser } from "./output/tools/tool-parser.js";
import type { LogitsProcessor, LogitsProcessorFactory } from "./sampling/processors.js";
import { buildPrompt } from "./prompt/prompt.js";
import { collectCompletion, streamChunks, type ResponseMeta } from "./output/responses.js";
import { runRequest, type RunEvent } from "./decode/run.js";
import { LoadGate } from "./schedule/load-gate.js";
import { Scheduler } from "./schedule/scheduler.js";
import type { ConstraintProvider, GrammarRequest, TokenConstraint } from "./structured/constraint.js";
import { gatedByReasoning } from "./structured/reasoning-gate.js";

export interface EngineOptions {
  /** Processors requests may name in `logits_processors`. */
  logitsProcessors?: Record<string, LogitsProcessorFactory>;
  /** Bounds on requests (queue length, messages, n, template, grammar); defaults in DEFAULT_LIMITS. */
  limits?: Partial<EngineLimits>;
  /** Cap the context window below the runner's. */
  contextWindow?: number;
  /**
   * vLLM's --generation-config: "auto" (default) takes a model's generation_config.json sampling
   * fields as the defaults of requests that leave them unset; "vllm" ignores them (temperature 1, ...).
   */
  generationConfig?: "auto" | "vllm";
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
  /** The request's logits_processors, made fresh per choice. */
  processors: () => LogitsProcessor[];
}

const SYSTEM_FINGERPRINT = "webgpu-chat-engine-0.1";

/**
 * The runner-agnostic engine: validate, template, tokenize, queue, generate, respond. Lives in the
 * worker; one request runs at a time per engine.
 */
/** The local backend: models loaded in this worker, run by the engine's own loop. */
export class Engine implements Backend {
  private readonly models = new Map<string, LoadedModel>();
  private readonly scheduler: Scheduler;
  private readonly loads = new LoadGate();
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

  /** Unload every model. */
  async dispose(): Promise<void> {
    for (const id of this.modelIds()) await this.removeModel(id);
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
    c?.abort(planErrors.requestCancelled(requestId));
    return Boolean(c);
  }

  /** Mark a model as loading until the returned function is called: requests for it wait meanwhile. */
  beginLoad(id: string): () => void {
    return this.loads.begin(id);
  }

  async create(body: unknown, signal?: AbortSignal): Promise<ChatCompletion> {
    const { prep, slot } = await this.admit(body, signal);
    return collectCompletion(this.run(prep, signal, slot), prep.req, prep.meta);
  }

  /** Validates (and compiles any grammar) before resolving, so a bad request rejects here rather than mid-stream. */
  async stream(body: unknown, signal?: AbortSignal): Promise<AsyncGenerator<ChatCompletionChunk>> {
    const { prep, slot } = await this.admit(body, signal);
    return streamChunks(this.run(prep, signal, slot), prep.req, prep.meta);
  }

  /**
   * Prepare the request; one for a model still loading first waits for the load, then takes its
   * place in the queue (by priority, then arrival) before preparing, and keeps that slot.
   */
  private async admit(body: unknown, signal?: AbortSignal): Promise<{ prep: Prepared; slot?: () => void }> {
    const parsed = validateRequest(body, this.limits);
    if (!this.loads.blocks(parsed.model, this.modelIds())) return { prep: await this.prepare(parsed) };
    const priority = parsed.priority ?? 0;
    await this.loads.wait(priority, signal);
    const slot = await this.scheduler.acquire(priority, signal ?? new AbortController().signal);
    try {
      return { prep: await this.prepare(parsed), slot };
    } catch (e) {
      slot();
      throw e;
    }
  }

  /** Check the request, make its plan, and get everything a run needs ready, one named step at a time. */
  private async prepare(parsed: ParsedRequest): Promise<Prepared> {
    const { req, model } = this.plan(parsed);
    this.checkRequestIdFree(req);
    const tools = toolSetup(req, model);
    const prompt = buildPrompt(model, req, this.contextWindowOf(model), this.limits);
    const processors = this.customProcessors(req);
    const constraint = gateGrammar(await this.compileGrammar(req, model, tools.format), req, model, prompt, tools);
    const meta = responseMeta(req, model, prompt, choiceOutputs(req, model, prompt, tools));
    return { req, model, prompt, meta, constraint, skipSpecialTokens: tools.skipSpecialTokens, processors };
  }

  /** Resolve a validated body against the loaded models into a frozen plan. */
  private plan(parsed: ParsedRequest): { req: NormalizedRequest; model: LoadedModel } {
    const id = requestedModel(parsed.model, this.modelIds());
    const model0 = id === undefined ? undefined : this.models.get(id);
    const req = normalizeRequest(parsed, {
      models: this.modelIds(),
      contextWindow: this.contextWindowOf(model0),
      vocabSize: model0?.runner.vocabSize ?? 0,
      logitsProcessors: Object.keys(this.opts.logitsProcessors ?? {}),
      maxN: this.limits.maxN,
      samplingDefaults: this.opts.generationConfig === "vllm" ? undefined : model0?.samplingDefaults,
    });
    return { req, model: this.models.get(req.model)! };
  }

  /**
   * The plan's logits_processors from the worker's registry. Made once here so a factory refusing
   * its arguments fails the request before it streams; later choices get fresh ones.
   */
  private customProcessors(req: NormalizedRequest): () => LogitsProcessor[] {
    const registry = this.opts.logitsProcessors ?? {};
    const make = () =>
      req.sampling.logitsProcessors.map((lp, i) => {
        try {
          return registry[lp.name]!({ args: lp.args, kwargs: lp.kwargs, extraArgs: req.sampling.extraArgs });
        } catch (e) {
          throw planErrors.processorRefused(i, lp.name, e instanceof Error ? e.message : String(e));
        }
      });
    let first: LogitsProcessor[] | null = make();
    return () => {
      const chain = first ?? make();
      first = null;
      return chain;
    };
  }

  private checkRequestIdFree(req: NormalizedRequest): void {
    if (req.requestId && this.active.has(req.requestId)) throw planErrors.duplicateRequestId(req.requestId);
  }

  /** Compile the plan's grammar once; each choice then gets a fresh matcher. */
  private async compileGrammar(req: NormalizedRequest, model: LoadedModel, format: ToolParser): Promise<Prepared["constraint"]> {
    const grammar = grammarRequest(req, format, this.limits.maxGrammarSize);
    if (!grammar) return undefined;
    if (!this.opts.constraints) throw planErrors.noGrammarBackend(grammar.param);
    return this.opts.constraints.prepare(model, grammar);
  }

  private contextWindowOf(model: LoadedModel | undefined): number {
    const runnerWindow = model?.runner.contextWindow ?? 0;
    return this.opts.contextWindow ? Math.min(this.opts.contextWindow, runnerWindow) : runnerWindow;
  }

  /** Run a prepared request; `slot` is the queue slot it already holds, if any. */
  private async *run(prep: Prepared, signal?: AbortSignal, slot?: () => void): AsyncGenerator<RunEvent> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) controller.abort(signal.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (prep.req.requestId) this.active.set(prep.req.requestId, controller);
    let release = slot;
    try {
      try {
        release ??= await this.scheduler.acquire(prep.req.priority, controller.signal);
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
        processors: prep.processors,
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

interface ToolSetup {
  format: ToolParser;
  /** Whether the output is parsed for tool calls. */
  parse: boolean;
  /** The model's reasoning parser (its record's, else detected from the template), if any. */
  reasoning: { parser: ReasoningParser; detected: boolean } | null;
  /** The plan's skip_special_tokens, unless a parser's markers are special tokens it needs. */
  skipSpecialTokens: boolean;
}

/** The model's tool-call and reasoning formats (its record's, else detected from the template) and what parsing them needs. */
function toolSetup(req: NormalizedRequest, model: LoadedModel): ToolSetup {
  const template = req.template.chatTemplate ?? model.chatTemplate;
  const format = toolParserFor(model.toolFormat, template);
  const parse = req.toolChoice !== "none" && req.template.tools !== null;
  const reasoning = reasoningParserFor(model.reasoningFormat, template);
  const keep = (parse && format.keepSpecialTokens) || (reasoning?.parser.keepSpecialTokens ?? false);
  return { format, parse, reasoning, skipSpecialTokens: req.sampling.skipSpecialTokens && !keep };
}

/**
 * vLLM applies a grammar (structured outputs, forced tool calls) only once its reasoning parser
 * says reasoning ended; with include_reasoning false, from the first token.
 */
function gateGrammar(
  constraint: Prepared["constraint"],
  req: NormalizedRequest,
  model: LoadedModel,
  prompt: Int32Array,
  tools: ToolSetup,
): Prepared["constraint"] {
  const r = tools.reasoning;
  if (!constraint || !r || !req.includeReasoning) return constraint;
  const markers = r.parser.grammarWaits({ kwargs: req.template.chatTemplateKwargs, detected: r.detected });
  return markers ? gatedByReasoning(constraint, markers, (t) => model.tokenizer.tokenId(t), prompt) : constraint;
}

/** A fresh reasoning / tool-call parser for each choice. */
function choiceOutputs(req: NormalizedRequest, model: LoadedModel, prompt: Int32Array, tools: ToolSetup): () => ChoiceOutput {
  const r = tools.reasoning;
  // The end of the prompt, special tokens and all: whether the template opened or closed reasoning.
  const promptTail = r ? model.tokenizer.decode(prompt.slice(-16)) : "";
  return () =>
    new ChoiceOutput({
      reasoning: r?.parser.splitter({ promptTail, kwargs: req.template.chatTemplateKwargs, detected: r.detected }) ?? null,
      tools: tools.parse ? tools.format : null,
      parallel: req.parallelToolCalls,
    });
}

function randomHex16(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** What every response of this request carries: its id, model, prompt, echo. */
function responseMeta(req: NormalizedRequest, model: LoadedModel, prompt: Int32Array, output: () => ChoiceOutput): ResponseMeta {
  const last = req.template.messages.at(-1);
  const reasons = (req.template.chatTemplate ?? model.chatTemplate)?.includes("<think>") ?? false;
  return {
    // vLLM's ids: "chatcmpl-" and the request_id, or 16 random hex digits.
    id: `chatcmpl-${req.requestId ?? randomHex16()}`,
    created: Math.floor(Date.now() / 1000),
    model: model.id,
    systemFingerprint: SYSTEM_FINGERPRINT,
    // vLLM answers as the last message's role when no generation prompt opens an assistant turn.
    role: req.template.addGenerationPrompt ? "assistant" : (last?.role ?? "assistant"),
    prompt,
    reasons,
    hidesTokens: reasons && !req.includeReasoning,
    promptText: req.returnPromptText ? model.tokenizer.decode(prompt) : null,
    echo: req.echo && last?.role === "assistant" ? (last.content ?? "") : "",
    output,
  };
}

/** The grammar a plan holds its output to: its structured-output constraint, or the tool calls tool_choice forces. */
function grammarRequest(req: NormalizedRequest, format: ToolParser, maxSize: number): GrammarRequest | null {
  const g = req.grammar;
  if (!g) return null;
  const constraint: StructuredConstraint =
    g.kind === "constraint"
      ? g.constraint
      : {
          kind: "structural_tag",
          format: format.structuralTag(g.tools, req.parallelToolCalls).format as Record<string, unknown>,
        };
  return { constraint, options: req.sampling.structuredOptions, param: g.param, maxSize };
}
