import type { StructuredConstraint, StructuredOptions } from "./structured.js";
import type { Tool, ToolChoice } from "./tools.js";

/** How to pick tokens: every default resolved, names as the engine uses them. */
export interface SamplingParams {
  n: number;
  /** best_of candidates are generated and the n with the highest mean logprob returned. */
  bestOf: number;
  /** null: up to the end of the context window. */
  maxTokens: number | null;
  minTokens: number;
  temperature: number;
  topP: number;
  /** 0: off. */
  topK: number;
  minP: number;
  seed: number | null;
  presencePenalty: number;
  frequencyPenalty: number;
  repetitionPenalty: number;
  logitBias: Map<number, number>;
  allowedTokenIds: number[] | null;
  badWords: string[];
  stop: string[];
  stopTokenIds: number[];
  includeStopStrInOutput: boolean;
  ignoreEos: boolean;
  /** null: no logprobs; k: the sampled token's logprob plus the top k. */
  logprobs: number | null;
  promptLogprobs: number | null;
  returnTokensAsTokenIds: boolean;
  returnTokenIds: boolean;
  skipSpecialTokens: boolean;
  spacesBetweenSpecialTokens: boolean;
  structured: StructuredConstraint | null;
  /** The request field the constraint came from (errors name it). */
  structuredParam: string | null;
  structuredOptions: StructuredOptions;
  repetitionDetection: { maxPatternSize: number; minPatternSize: number; minCount: number } | null;
  /** Names of logits processors registered with the engine, in order. */
  logitsProcessors: { name: string; args: unknown[]; kwargs: Record<string, unknown> }[];
  extraArgs: Record<string, string | number | (string | number)[]>;
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
  messages: TemplateMessage[];
  /** null when tool_choice is "none" or no tools were given. */
  tools: Tool[] | null;
  documents: Record<string, string>[] | null;
  /** The request's own Jinja template, else the model's. */
  chatTemplate: string | null;
  chatTemplateKwargs: Record<string, unknown>;
  addGenerationPrompt: boolean;
  continueFinalMessage: boolean;
  addSpecialTokens: boolean;
  /** null: keep the whole prompt; k: keep its last k tokens. */
  truncatePromptTokens: number | null;
}

export interface NormalizedRequest {
  model: string;
  requestId: string | null;
  stream: boolean;
  includeUsage: boolean;
  continuousUsageStats: boolean;
  echo: boolean;
  priority: number;
  cacheSalt: string | null;
  toolChoice: ToolChoice;
  parallelToolCalls: boolean;
  includeReasoning: boolean;
  reasoningEffort: "low" | "medium" | "high" | null;
  user: string | null;
  sampling: SamplingParams;
  template: TemplateParams;
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
}
