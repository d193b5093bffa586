/**
 * The requests sent to both vLLM and the engine. A case's body may read `seen`: what vLLM answered
 * the greedy base request (its text and token ids), so stop strings and stop ids are ones the
 * model really produces. `kept` names the section of docs/vllm-compatibility.md for a difference
 * kept on purpose: the suite then asserts that exact difference instead of equality.
 */
import type { Body, Outcome } from "./call.js";

export interface Seen {
  text: string;
  ids: number[];
}

export interface Case {
  name: string;
  body: Body | ((seen: Seen) => Body);
  /**
   * An open difference (a bug not closed yet; docs/vllm-compatibility.md, "Open differences"): the
   * case is expected to differ and fails the suite the day it matches, so the note gets removed.
   */
  open?: string;
  /** A kept difference: what each side must answer (the page's section in the title). */
  kept?: { section: string; vllmStatus: number | "ok"; oursStatus: number | "ok"; param?: string };
}

/** What vLLM answered the base request (asked with return_token_ids); Qwen3 thinking puts the text in reasoning. */
export function seenOf(o: Outcome): Seen {
  if (o.kind !== "completion") throw new Error(`vLLM's base answer: ${JSON.stringify(o)}`);
  const c = (o.body.choices as { message: { content: string | null; reasoning?: string }; token_ids: number[] }[])[0]!;
  return { text: c.message.content ?? c.message.reasoning ?? "", ids: c.token_ids };
}

/** A case's request for a served model. */
export function bodyOf(c: Case, seen: Seen, model: string): Body {
  return { model, ...(typeof c.body === "function" ? c.body(seen) : c.body) };
}

const user = (content: string) => [{ role: "user", content }];
/** Greedy and short: the base every processor case changes one thing of. */
export const base: Body = {
  messages: user("Hello, who are you?"),
  temperature: 0,
  max_tokens: 8,
  // Thinking off: with it on (the template's default) the tiny model never writes </think>, so its
  // output is all reasoning and grammars never start (the "thinking on" cases below cover that);
  // off, the sampling, grammar and tool cases reach the content.
  chat_template_kwargs: { enable_thinking: false },
};

const weather = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const noDescription = {
  type: "function",
  function: { name: "get_time", parameters: { type: "object", properties: { zone: { type: "string" } } } },
};
const person = {
  type: "object",
  properties: { name: { type: "string", maxLength: 8 }, age: { type: "integer", minimum: 0, maximum: 120 } },
  required: ["name", "age"],
  additionalProperties: false,
};

const greedy: Case[] = [
  { name: "greedy, plain", body: base },
  { name: "greedy, return_token_ids", body: { ...base, return_token_ids: true } },
  { name: "greedy, max_tokens 1", body: { ...base, max_tokens: 1 } },
  { name: "greedy, max_completion_tokens", body: { ...base, max_tokens: undefined, max_completion_tokens: 5 } },
  { name: "stop string", body: (s) => ({ ...base, max_tokens: 16, stop: [s.text.slice(4, 7)] }) },
  {
    name: "stop string, include_stop_str_in_output",
    body: (s) => ({ ...base, max_tokens: 16, stop: [s.text.slice(4, 7)], include_stop_str_in_output: true }),
  },
  { name: "stop_token_ids", body: (s) => ({ ...base, max_tokens: 16, stop_token_ids: [s.ids[3]] }) },
  {
    name: "min_tokens holds back a stop id",
    body: (s) => ({ ...base, max_tokens: 16, stop_token_ids: [s.ids[1]], min_tokens: 4, return_token_ids: true }),
  },
  { name: "ignore_eos", body: { ...base, max_tokens: 12, ignore_eos: true } },
  { name: "bad_words", body: (s) => ({ ...base, bad_words: [s.text.slice(0, 4).trim() || s.text.slice(0, 4)] }) },
  { name: "allowed_token_ids", body: { ...base, allowed_token_ids: [9707, 1879, 11, 13, 151645], return_token_ids: true } },
  { name: "logit_bias", body: { ...base, logit_bias: { "9707": 30, "1879": 20 }, return_token_ids: true } },
  { name: "repetition_penalty", body: { ...base, max_tokens: 16, repetition_penalty: 1.6 } },
  { name: "frequency_penalty", body: { ...base, max_tokens: 16, frequency_penalty: 1.5 } },
  { name: "presence_penalty", body: { ...base, max_tokens: 16, presence_penalty: 1.5 } },
  { name: "top_k 1 at temperature 1", body: { ...base, temperature: 1, top_k: 1, seed: 3 } },
  { name: "min_p 1 at temperature 1", body: { ...base, temperature: 1, min_p: 1, seed: 3 } },
  {
    name: "kept: echo after a user message",
    body: { ...base, echo: true },
    kept: { section: "echo with nothing to echo", vllmStatus: "ok", oursStatus: 400, param: "echo" },
  },
  {
    name: "continue_final_message",
    body: {
      ...base,
      messages: [...user("Count"), { role: "assistant", content: "One, two," }],
      add_generation_prompt: false,
      continue_final_message: true,
    },
  },
  { name: "add_generation_prompt false", body: { ...base, add_generation_prompt: false } },
  { name: "truncate_prompt_tokens", body: { ...base, truncate_prompt_tokens: 6 } },
  { name: "chat_template_kwargs enable_thinking true", body: { ...base, chat_template_kwargs: { enable_thinking: true } } },
  { name: "documents", body: { ...base, documents: [{ title: "Note", text: "The sky is green." }] } },
  {
    name: "system message and a long turn",
    body: { ...base, messages: [{ role: "system", content: "Be brief." }, ...user("a ".repeat(50))] },
  },
  { name: "request_id names the completion", body: { ...base, max_tokens: 2, request_id: "diff-req-1" } },
];

const logprobs: Case[] = [
  { name: "logprobs", body: { ...base, logprobs: true } },
  { name: "top_logprobs 5", body: { ...base, logprobs: true, top_logprobs: 5 } },
  { name: "top_logprobs 2", body: { ...base, logprobs: true, top_logprobs: 2 } },
  { name: "prompt_logprobs 2", body: { ...base, max_tokens: 2, prompt_logprobs: 2 } },
  { name: "prompt_logprobs 1", body: { ...base, max_tokens: 2, prompt_logprobs: 1, messages: user("Hi") } },
  { name: "top_logprobs 0", body: { ...base, logprobs: true, top_logprobs: 0 } },
];

const streams: Case[] = [
  { name: "stream", body: { ...base, stream: true } },
  { name: "stream include_usage", body: { ...base, stream: true, stream_options: { include_usage: true } } },
  {
    name: "stream continuous_usage_stats",
    body: { ...base, stream: true, stream_options: { include_usage: true, continuous_usage_stats: true } },
  },
  { name: "stream with logprobs", body: { ...base, stream: true, logprobs: true, top_logprobs: 2 } },
  { name: "stream with a stop string", body: (s) => ({ ...base, stream: true, max_tokens: 16, stop: [s.text.slice(4, 7)] }) },
  { name: "stream return_token_ids", body: { ...base, stream: true, return_token_ids: true } },
];

const structured: Case[] = [
  { name: "structured choice", body: { ...base, structured_outputs: { choice: ["red", "green", "blue"] } } },
  {
    name: "structured regex",
    body: { ...base, max_tokens: 12, structured_outputs: { regex: "[a-z]{3}-[0-9]{2}" } },
  },
  {
    name: "kept: structured json",
    body: { ...base, max_tokens: 40, structured_outputs: { json: person } },
    kept: { section: "JSON whitespace", vllmStatus: "ok", oursStatus: "ok" },
  },
  {
    name: "structured grammar",
    body: { ...base, structured_outputs: { grammar: 'root ::= "yes" | "no" | "maybe"' } },
  },
  {
    name: "kept: response_format json_schema",
    body: { ...base, max_tokens: 40, response_format: { type: "json_schema", json_schema: { name: "person", schema: person } } },
    kept: { section: "JSON whitespace", vllmStatus: "ok", oursStatus: "ok" },
  },
  {
    name: "response_format structural_tag",
    body: {
      ...base,
      response_format: {
        type: "structural_tag",
        structures: [{ begin: "<a>", schema: person, end: "</a>" }],
        triggers: ["<a>"],
      },
    },
  },
  {
    name: "invalid regex",
    body: { ...base, structured_outputs: { regex: "[a-" } },
  },
];

const tools: Case[] = [
  { name: "tools, tool_choice auto", body: { ...base, max_tokens: 12, tools: [weather] } },
  {
    name: "kept: tools, tool_choice required",
    body: { ...base, max_tokens: 40, tools: [weather], tool_choice: "required" },
    kept: { section: "Forced tool calls", vllmStatus: "ok", oursStatus: "ok" },
  },
  {
    name: "kept: tools, tool_choice named",
    body: { ...base, max_tokens: 40, tools: [weather], tool_choice: { type: "function", function: { name: "get_weather" } } },
    kept: { section: "Forced tool calls", vllmStatus: "ok", oursStatus: "ok" },
  },
  { name: "tools, none", body: { ...base, tools: [weather], tool_choice: "none" } },
  { name: "a tool without a description", body: { ...base, max_tokens: 4, tools: [noDescription] } },
  {
    name: "kept: tools required, streamed",
    body: { ...base, max_tokens: 40, tools: [weather], tool_choice: "required", stream: true },
    kept: { section: "Forced tool calls", vllmStatus: "ok", oursStatus: "ok" },
  },
];

const thinking = [...user("Is 17 prime?"), { role: "assistant", content: "<think>Let me check" }];
const thinkingOn: Body = { ...base, chat_template_kwargs: undefined };
const reasoning: Case[] = [
  {
    name: "reasoning on (a continued <think>)",
    body: {
      ...base,
      messages: thinking,
      add_generation_prompt: false,
      continue_final_message: true,
      ignore_eos: true,
      chat_template_kwargs: undefined,
    },
  },
  {
    name: "reasoning on, streamed",
    body: {
      ...base,
      messages: thinking,
      add_generation_prompt: false,
      continue_final_message: true,
      stream: true,
      chat_template_kwargs: undefined,
    },
  },
  { name: "reasoning off", body: base },
  { name: "reasoning on by default", body: { ...base, chat_template_kwargs: undefined } },
  // Thinking on (Qwen3's default): everything until </think> is reasoning, and vLLM applies a
  // grammar only after it, so these answers are reasoning with the grammar still waiting.
  { name: "thinking on, streamed", body: { ...thinkingOn, stream: true, stream_options: { include_usage: true } } },
  { name: "thinking on, json schema", body: { ...thinkingOn, structured_outputs: { json: person } } },
  {
    name: "thinking on, response_format json_schema",
    body: { ...thinkingOn, response_format: { type: "json_schema", json_schema: { name: "person", schema: person } } },
  },
  { name: "thinking on, regex", body: { ...thinkingOn, max_tokens: 12, structured_outputs: { regex: "[a-z]{3}-[0-9]{2}" } } },
  { name: "thinking on, forced tool call", body: { ...thinkingOn, tools: [weather], tool_choice: "required" } },
  {
    name: "thinking on, named tool call, streamed",
    body: { ...thinkingOn, tools: [weather], tool_choice: { type: "function", function: { name: "get_weather" } }, stream: true },
  },
  { name: "thinking on, include_reasoning false", body: { ...thinkingOn, include_reasoning: false } },
  {
    name: "thinking on, include_reasoning false, logprobs and token ids hidden",
    body: { ...thinkingOn, include_reasoning: false, logprobs: true, top_logprobs: 2, return_token_ids: true },
  },
  {
    name: "thinking on, include_reasoning false, logprobs and token ids hidden, streamed",
    body: { ...thinkingOn, include_reasoning: false, logprobs: true, return_token_ids: true, stream: true },
  },
  {
    name: "thinking on, include_reasoning false, choice",
    body: { ...thinkingOn, include_reasoning: false, structured_outputs: { choice: ["yes", "no"] } },
  },
];

const invalid: Case[] = [
  { name: "invalid: top_p 7", body: { ...base, top_p: 7 } },
  { name: "invalid: temperature -1", body: { ...base, temperature: -1 } },
  { name: "invalid: n 0", body: { ...base, n: 0 } },
  { name: "invalid: n 2 with greedy sampling", body: { ...base, n: 2 } },
  { name: "invalid: top_logprobs without logprobs past 20", body: { ...base, logprobs: true, top_logprobs: 30 } },
  { name: "invalid: no messages", body: { ...base, messages: [] } },
  { name: "invalid: unknown model", body: { ...base, model: "no-such-model" } },
  {
    name: "invalid: named tool that is not in tools",
    body: { ...base, tools: [weather], tool_choice: { type: "function", function: { name: "nope" } } },
  },
  { name: "invalid: tool_choice required without tools", body: { ...base, tool_choice: "required" } },
  { name: "invalid: two structured outputs", body: { ...base, structured_outputs: { regex: "a+", choice: ["a"] } } },
  { name: "invalid: stream_options without stream", body: { ...base, stream_options: { include_usage: true } } },
  { name: "invalid: min_tokens past max_tokens", body: { ...base, min_tokens: 20 } },
  { name: "invalid: bad logit_bias key", body: { ...base, logit_bias: { abc: 1 } } },
  {
    name: "kept: unknown role",
    body: { ...base, messages: [{ role: "robot", content: "hi" }] },
    kept: { section: "Unknown message roles", vllmStatus: "ok", oursStatus: 400, param: "messages.0.role" },
  },
  {
    name: "kept: unknown field",
    body: { ...base, temprature: 0.5 },
    kept: { section: "Unknown request fields", vllmStatus: "ok", oursStatus: 400, param: "temprature" },
  },
  {
    name: "kept: max_tokens past the context window",
    body: { ...base, max_tokens: 4000 },
    kept: { section: "max_tokens past the context window", vllmStatus: 400, oursStatus: 400 },
  },
];

export const tinyCorpus: Case[] = [...greedy, ...logprobs, ...streams, ...structured, ...tools, ...reasoning, ...invalid];

/** The real model (SmolLM2-135M-Instruct, ~10 tok/s in vLLM float32): short and greedy. */
export const realCorpus: Case[] = [
  { name: "real: greedy", body: { ...base, max_tokens: 12, return_token_ids: true } },
  { name: "real: top_logprobs 3", body: { ...base, max_tokens: 6, logprobs: true, top_logprobs: 3 } },
  { name: "real: stop string", body: (s) => ({ ...base, max_tokens: 12, stop: [s.text.slice(4, 7)] }) },
  { name: "real: stream include_usage", body: { ...base, max_tokens: 8, stream: true, stream_options: { include_usage: true } } },
  { name: "real: structured choice", body: { ...base, structured_outputs: { choice: ["yes", "no"] } } },
  { name: "real: repetition_penalty", body: { ...base, max_tokens: 12, repetition_penalty: 1.3 } },
];
