import type { StructuredConstraint, StructuredOptions } from "./structured.js";
import type { Tool, ToolChoice } from "./tools.js";

/** A tool as the chat template sees it: vLLM's dump, where an unset description is null. */
export type TemplateTool = Omit<Tool, "function"> & {
  function: Omit<Tool["function"], "description"> & { description: string | null };
};

/** How to pick tokens: every default resolved, names as the engine uses them. */
export interface SamplingParams {
  readonly n: number;
  /** best_of candidates are generated and the n with the highest mean logprob returned. */
  readonly bestOf: number;
  /** null: up to the end of the context window. */
  readonly maxTokens: number | null;
  readonly minTokens: number;
  readonly temperature: number;
  readonly topP: number;
  /** 0: off. */
  readonly topK: number;
  readonly minP: number;
  readonly seed: number | null;
  readonly presencePenalty: number;
  readonly frequencyPenalty: number;
  readonly repetitionPenalty: number;
  readonly logitBias: ReadonlyMap<number, number>;
  readonly allowedTokenIds: readonly number[] | null;
  readonly badWords: readonly string[];
  readonly stop: readonly string[];
  readonly stopTokenIds: readonly number[];
  readonly includeStopStrInOutput: boolean;
  readonly ignoreEos: boolean;
  /** null: no logprobs; k: the sampled token's logprob plus the top k. */
  readonly logprobs: number | null;
  readonly promptLogprobs: number | null;
  readonly returnTokensAsTokenIds: boolean;
  readonly returnTokenIds: boolean;
  readonly skipSpecialTokens: boolean;
  readonly spacesBetweenSpecialTokens: boolean;
  readonly structuredOptions: Readonly<StructuredOptions>;
  readonly repetitionDetection: Readonly<{ maxPatternSize: number; minPatternSize: number; minCount: number }> | null;
  /** Names of logits processors registered with the engine, in order. */
  readonly logitsProcessors: readonly Readonly<{
    name: string;
    args: readonly unknown[];
    kwargs: Readonly<Record<string, unknown>>;
  }>[];
  readonly extraArgs: Readonly<Record<string, string | number | readonly (string | number)[]>>;
}

/** A message as the chat template sees it: text content, tool-call arguments parsed to objects. */
export interface TemplateMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string | null;
  name?: string;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: unknown } }[];
  tool_call_id?: string;
  reasoning_content?: string;
}

/** How to build the prompt. */
export interface TemplateParams {
  readonly messages: readonly TemplateMessage[];
  /** null when no tools were given; listed under tool_choice "none" too, as vLLM does. */
  readonly tools: readonly TemplateTool[] | null;
  readonly documents: readonly Readonly<Record<string, string>>[] | null;
  /** The request's own Jinja template, else the model's. */
  readonly chatTemplate: string | null;
  readonly chatTemplateKwargs: Readonly<Record<string, unknown>>;
  readonly addGenerationPrompt: boolean;
  readonly continueFinalMessage: boolean;
  readonly addSpecialTokens: boolean;
  /** null: keep the whole prompt; k: keep its last k tokens. */
  readonly truncatePromptTokens: number | null;
  /** truncation_side: true ("left", the default) keeps the last truncatePromptTokens ids, false the first. */
  readonly truncateLeft: boolean;
}

/** The grammar the output must follow, and the request field that asked for it (errors name it). */
export type OutputGrammar =
  | { readonly kind: "constraint"; readonly constraint: StructuredConstraint; readonly param: string }
  /** tool_choice "required" or a named tool: calls to these tools in the model's own tool-call syntax. */
  | { readonly kind: "tool_calls"; readonly tools: readonly Tool[]; readonly param: string };

export interface NormalizedRequest {
  readonly model: string;
  readonly requestId: string | null;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  readonly continuousUsageStats: boolean;
  readonly echo: boolean;
  /** return_prompt_text: the templated prompt as `prompt_text` (on a stream's first chunk). */
  readonly returnPromptText: boolean;
  readonly priority: number;
  readonly cacheSalt: string | null;
  readonly toolChoice: ToolChoice;
  readonly parallelToolCalls: boolean;
  readonly includeReasoning: boolean;
  readonly reasoningEffort: "low" | "medium" | "high" | null;
  readonly user: string | null;
  readonly sampling: Readonly<SamplingParams>;
  readonly template: TemplateParams;
  readonly grammar: OutputGrammar | null;
}

/**
 * A model's own sampling defaults (its generation_config.json), used where a request leaves a
 * field unset, as vLLM does by default (`--generation-config auto`).
 */
export interface SamplingDefaults {
  readonly temperature?: number;
  readonly top_p?: number;
  readonly top_k?: number;
  readonly min_p?: number;
  readonly repetition_penalty?: number;
}

/** What normalization needs to know of the engine and the model. */
export interface NormalizeContext {
  /** Registered model ids; the first is the default when a request names none. */
  models: readonly string[];
  contextWindow: number;
  vocabSize: number;
  /** Content part types the model accepts besides text (e.g. "image_url"). */
  modalities?: readonly string[];
  logitsProcessors?: readonly string[];
  /** Most choices per request (limits.maxN; its default when absent). */
  maxN?: number;
  /** The model's sampling defaults. */
  samplingDefaults?: SamplingDefaults;
}
