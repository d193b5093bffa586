import type { NormalizeContext } from "../../../src/protocol/index.js";

export const CTX: NormalizeContext = {
  models: ["tiny-random-qwen3"],
  contextWindow: 4096,
  vocabSize: 151936,
  logitsProcessors: ["no_digits"],
};

/** For every request field: requests that must pass, and one that must fail with this param and code. */
export interface FieldCase {
  valid: Record<string, unknown>[];
  invalid: Record<string, unknown>;
  param: string;
  code: string;
  type?: string;
  message?: RegExp;
}

const user = (content: unknown = "hi") => ({ role: "user", content });
const tool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};
const call = { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } };

export const CORPUS: Record<string, FieldCase> = {
  messages: {
    valid: [
      {
        messages: [
          { role: "system", content: "s" },
          { role: "developer", content: [{ type: "text", text: "d" }] },
          user(),
          { role: "assistant", content: null, tool_calls: [call] },
          { role: "tool", content: "sunny", tool_call_id: "call_1" },
        ],
      },
      {
        messages: [
          user([
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ]),
          { role: "assistant", content: "x", reasoning_content: "r", name: "bot" },
          user(),
        ],
      },
    ],
    invalid: {
      messages: [
        user(),
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", content: "x", tool_call_id: "call_9" },
      ],
    },
    param: "messages.2.tool_call_id",
    code: "invalid_value",
    message: /"call_9" answers no earlier assistant tool call; known ids: "call_1"/,
  },
  model: {
    valid: [{ model: "tiny-random-qwen3" }, { model: null }],
    invalid: { model: "gpt-9" },
    param: "model",
    code: "model_not_found",
    type: "not_found_error",
    message: /Available: "tiny-random-qwen3"/,
  },
  max_tokens: {
    valid: [{ max_tokens: 16 }],
    invalid: { max_tokens: 0 },
    param: "max_tokens",
    code: "invalid_value",
    message: /must be >= 1/,
  },
  max_completion_tokens: {
    valid: [{ max_completion_tokens: 16, max_tokens: 8 }],
    invalid: { max_completion_tokens: 1_000_000 },
    param: "max_completion_tokens",
    code: "invalid_value",
    message: /context window of 4096/,
  },
  n: { valid: [{ n: 3 }], invalid: { n: 0 }, param: "n", code: "invalid_value" },
  best_of: {
    valid: [{ n: 2, best_of: 4 }],
    invalid: { n: 2, best_of: 1 },
    param: "best_of",
    code: "invalid_value",
    message: /best_of \(1\) must be >= n \(2\)/,
  },
  min_tokens: {
    valid: [{ min_tokens: 4, max_tokens: 8 }],
    invalid: { min_tokens: 9, max_tokens: 8 },
    param: "min_tokens",
    code: "invalid_value",
  },
  ignore_eos: {
    valid: [{ ignore_eos: true }],
    invalid: { ignore_eos: "yes" },
    param: "ignore_eos",
    code: "invalid_type",
    message: /must be a boolean, got a string/,
  },
  temperature: {
    valid: [{ temperature: 0 }, { temperature: 2 }],
    invalid: { temperature: 2.5 },
    param: "temperature",
    code: "invalid_value",
    message: /"temperature" must be <= 2 \(got 2.5\)/,
  },
  top_p: {
    valid: [{ top_p: 1 }, { top_p: 0.01 }],
    invalid: { top_p: 0 },
    param: "top_p",
    code: "invalid_value",
    message: /must be > 0/,
  },
  top_k: { valid: [{ top_k: -1 }, { top_k: 0 }, { top_k: 40 }], invalid: { top_k: -2 }, param: "top_k", code: "invalid_value" },
  min_p: { valid: [{ min_p: 0 }, { min_p: 1 }], invalid: { min_p: 1.5 }, param: "min_p", code: "invalid_value" },
  seed: { valid: [{ seed: 0 }, { seed: -5 }, { seed: 2 ** 40 }], invalid: { seed: 1.5 }, param: "seed", code: "invalid_type" },
  frequency_penalty: {
    valid: [{ frequency_penalty: -2 }],
    invalid: { frequency_penalty: 2.1 },
    param: "frequency_penalty",
    code: "invalid_value",
  },
  presence_penalty: {
    valid: [{ presence_penalty: 2 }],
    invalid: { presence_penalty: -3 },
    param: "presence_penalty",
    code: "invalid_value",
  },
  repetition_penalty: {
    valid: [{ repetition_penalty: 1.2 }],
    invalid: { repetition_penalty: 0 },
    param: "repetition_penalty",
    code: "invalid_value",
  },
  logit_bias: {
    valid: [{ logit_bias: { "0": -100, "151935": 100 } }],
    invalid: { logit_bias: { "12": 101 } },
    param: "logit_bias.12",
    code: "invalid_value",
  },
  allowed_token_ids: {
    valid: [{ allowed_token_ids: [1, 2] }],
    invalid: { allowed_token_ids: [1, 151936] },
    param: "allowed_token_ids.1",
    code: "invalid_value",
    message: /outside the vocabulary/,
  },
  bad_words: {
    valid: [{ bad_words: ["hello", " world"] }],
    invalid: { bad_words: [""] },
    param: "bad_words.0",
    code: "invalid_value",
    message: /must not be empty/,
  },
  logits_processors: {
    valid: [{ logits_processors: ["no_digits", { qualname: "no_digits", kwargs: { a: 1 } }] }],
    invalid: { logits_processors: ["my_module.Proc"] },
    param: "logits_processors.0",
    code: "invalid_value",
    message: /registered: no_digits/,
  },
  vllm_xargs: {
    valid: [{ vllm_xargs: { a: 1, b: "x", c: [1, "y"] } }],
    invalid: { vllm_xargs: { a: { nested: true } } },
    param: "vllm_xargs.a",
    code: "invalid_type",
  },
  stop: {
    valid: [{ stop: "END" }, { stop: ["a", "b"] }, { stop: null }],
    invalid: { stop: 5 },
    param: "stop",
    code: "invalid_type",
    message: /must be a string or an array/,
  },
  stop_token_ids: {
    valid: [{ stop_token_ids: [151645] }],
    invalid: { stop_token_ids: [-1] },
    param: "stop_token_ids.0",
    code: "invalid_value",
  },
  include_stop_str_in_output: {
    valid: [{ include_stop_str_in_output: true }],
    invalid: { include_stop_str_in_output: 1 },
    param: "include_stop_str_in_output",
    code: "invalid_type",
  },
  repetition_detection: {
    valid: [{ repetition_detection: { max_pattern_size: 8, min_count: 3 } }],
    invalid: { repetition_detection: { max_pattern_size: 2, min_pattern_size: 3, min_count: 3 } },
    param: "repetition_detection.min_pattern_size",
    code: "invalid_value",
  },
  logprobs: {
    valid: [{ logprobs: true, top_logprobs: 5 }],
    invalid: { logprobs: "true" },
    param: "logprobs",
    code: "invalid_type",
  },
  top_logprobs: {
    valid: [{ logprobs: true, top_logprobs: 20 }, { top_logprobs: 0 }],
    invalid: { top_logprobs: 3 },
    param: "top_logprobs",
    code: "invalid_value",
    message: /needs logprobs: true/,
  },
  prompt_logprobs: {
    valid: [{ prompt_logprobs: 0 }, { prompt_logprobs: 20 }],
    invalid: { prompt_logprobs: 21 },
    param: "prompt_logprobs",
    code: "invalid_value",
  },
  return_tokens_as_token_ids: {
    valid: [{ logprobs: true, return_tokens_as_token_ids: true }],
    invalid: { return_tokens_as_token_ids: [] },
    param: "return_tokens_as_token_ids",
    code: "invalid_type",
  },
  return_token_ids: {
    valid: [{ return_token_ids: true }],
    invalid: { return_token_ids: null, extra_body: { return_token_ids: true } },
    param: "extra_body.return_token_ids",
    code: "conflicting_parameters",
  },
  skip_special_tokens: {
    valid: [{ skip_special_tokens: false }],
    invalid: { skip_special_tokens: 0 },
    param: "skip_special_tokens",
    code: "invalid_type",
  },
  spaces_between_special_tokens: {
    valid: [{ spaces_between_special_tokens: false }],
    invalid: { spaces_between_special_tokens: "no" },
    param: "spaces_between_special_tokens",
    code: "invalid_type",
  },
  stream: { valid: [{ stream: true }], invalid: { stream: "yes" }, param: "stream", code: "invalid_type" },
  stream_options: {
    valid: [{ stream: true, stream_options: { include_usage: true, continuous_usage_stats: true } }],
    invalid: { stream_options: { include_usage: true } },
    param: "stream_options",
    code: "invalid_value",
    message: /only allowed when stream is true/,
  },
  echo: {
    valid: [
      {
        echo: true,
        messages: [user(), { role: "assistant", content: "Sure" }],
        add_generation_prompt: false,
        continue_final_message: true,
      },
    ],
    invalid: { echo: true },
    param: "echo",
    code: "invalid_value",
    message: /last message is a user message/,
  },
  add_generation_prompt: {
    valid: [{ add_generation_prompt: false }],
    invalid: { add_generation_prompt: "no" },
    param: "add_generation_prompt",
    code: "invalid_type",
  },
  continue_final_message: {
    valid: [
      {
        continue_final_message: true,
        add_generation_prompt: false,
        messages: [user(), { role: "assistant", content: "The answer is" }],
      },
    ],
    invalid: {
      continue_final_message: true,
      add_generation_prompt: true,
      messages: [user(), { role: "assistant", content: "x" }],
    },
    param: "continue_final_message",
    code: "conflicting_parameters",
  },
  add_special_tokens: {
    valid: [{ add_special_tokens: true }],
    invalid: { add_special_tokens: "1" },
    param: "add_special_tokens",
    code: "invalid_type",
  },
  documents: {
    valid: [{ documents: [{ title: "a", text: "b" }] }],
    invalid: { documents: [{ title: 5 }] },
    param: "documents.0.title",
    code: "invalid_type",
  },
  chat_template: {
    valid: [{ chat_template: "{% for m in messages %}{{ m.content }}{% endfor %}" }],
    invalid: { chat_template: "" },
    param: "chat_template",
    code: "invalid_value",
  },
  chat_template_kwargs: {
    valid: [{ chat_template_kwargs: { enable_thinking: false } }],
    invalid: { chat_template_kwargs: "enable_thinking" },
    param: "chat_template_kwargs",
    code: "invalid_type",
  },
  truncate_prompt_tokens: {
    valid: [{ truncate_prompt_tokens: -1 }, { truncate_prompt_tokens: 100 }],
    invalid: { truncate_prompt_tokens: 5000 },
    param: "truncate_prompt_tokens",
    code: "invalid_value",
  },
  memory_strategy: {
    valid: [{ memory_strategy: { type: "last_k", value: 2 } }],
    invalid: { memory_strategy: { type: "summary", value: 2 } },
    param: "memory_strategy.type",
    code: "invalid_value",
  },
  tools: {
    valid: [{ tools: [tool] }],
    invalid: { tools: [{ type: "function", function: { name: "get weather" } }] },
    param: "tools.0.function.name",
    code: "invalid_value",
    message: /1-64 characters/,
  },
  tool_choice: {
    valid: [
      { tools: [tool], tool_choice: "required" },
      { tools: [tool], tool_choice: { type: "function", function: { name: "get_weather" } } },
      { tool_choice: "none" },
    ],
    invalid: { tools: [tool], tool_choice: { type: "function", function: { name: "get_time" } } },
    param: "tool_choice.function.name",
    code: "invalid_value",
    message: /not among the tools: "get_weather"/,
  },
  parallel_tool_calls: {
    valid: [{ tools: [tool], parallel_tool_calls: false }],
    invalid: { parallel_tool_calls: "false" },
    param: "parallel_tool_calls",
    code: "invalid_type",
  },
  response_format: {
    valid: [
      { response_format: { type: "json_object" } },
      { response_format: { type: "json_schema", json_schema: { name: "a", schema: { type: "object" }, strict: true } } },
      { response_format: { type: "text" } },
    ],
    invalid: { response_format: { type: "json_schema" } },
    param: "response_format.json_schema",
    code: "missing_required_parameter",
  },
  structured_outputs: {
    valid: [
      { structured_outputs: { regex: "[a-z]+" } },
      { structured_outputs: { json: '{"type":"object"}', disable_any_whitespace: true } },
      { structured_outputs: { choice: ["a", "b"] } },
    ],
    invalid: { structured_outputs: { regex: "a" }, response_format: { type: "json_object" } },
    param: "response_format",
    code: "conflicting_parameters",
    message: /got structured_outputs.regex and response_format/,
  },
  guided_json: {
    valid: [{ guided_json: { type: "object" } }, { guided_json: '{"type":"string"}' }],
    invalid: { guided_json: "{not json" },
    param: "guided_json",
    code: "invalid_value",
  },
  guided_regex: {
    valid: [{ guided_regex: "[A-Z]{3}" }],
    invalid: { guided_regex: "a", guided_choice: ["b"] },
    param: "guided_choice",
    code: "conflicting_parameters",
  },
  guided_choice: {
    valid: [{ guided_choice: ["red", "green"] }],
    invalid: { guided_choice: [] },
    param: "guided_choice",
    code: "invalid_value",
  },
  guided_grammar: {
    valid: [{ guided_grammar: 'root ::= "a"' }],
    invalid: { guided_grammar: 7 },
    param: "guided_grammar",
    code: "invalid_type",
  },
  guided_whitespace_pattern: {
    valid: [{ guided_json: { type: "object" }, guided_whitespace_pattern: null }],
    invalid: { guided_whitespace_pattern: ["x"] },
    param: "guided_whitespace_pattern",
    code: "invalid_type",
  },
  guided_decoding_backend: {
    valid: [{ guided_decoding_backend: "xgrammar" }],
    invalid: { guided_decoding_backend: "outlines" },
    param: "guided_decoding_backend",
    code: "unsupported_parameter",
  },
  reasoning_effort: {
    valid: [{ reasoning_effort: "low" }],
    invalid: { reasoning_effort: "extreme" },
    param: "reasoning_effort",
    code: "invalid_value",
    message: /"low", "medium", "high"/,
  },
  include_reasoning: {
    valid: [{ include_reasoning: false }],
    invalid: { include_reasoning: "no" },
    param: "include_reasoning",
    code: "invalid_type",
  },
  priority: { valid: [{ priority: -10 }, { priority: 5 }], invalid: { priority: 0.5 }, param: "priority", code: "invalid_type" },
  request_id: { valid: [{ request_id: "req-1" }], invalid: { request_id: "" }, param: "request_id", code: "invalid_value" },
  cache_salt: { valid: [{ cache_salt: "salt-a" }], invalid: { cache_salt: 42 }, param: "cache_salt", code: "invalid_type" },
  user: { valid: [{ user: "u-1" }], invalid: { user: 1 }, param: "user", code: "invalid_type" },
  use_beam_search: {
    valid: [{ use_beam_search: false }],
    invalid: { use_beam_search: true },
    param: "use_beam_search",
    code: "unsupported_parameter",
  },
  length_penalty: {
    valid: [{ length_penalty: 1 }],
    invalid: { length_penalty: 0.8 },
    param: "length_penalty",
    code: "unsupported_parameter",
  },
  suffix: { valid: [{ suffix: null }], invalid: { suffix: "end" }, param: "suffix", code: "unsupported_parameter" },
  prediction: {
    valid: [{ prediction: null }],
    invalid: { prediction: { type: "content", content: "x" } },
    param: "prediction",
    code: "unsupported_parameter",
  },
  modalities: {
    valid: [{ modalities: ["text"] }],
    invalid: { modalities: ["text", "audio"] },
    param: "modalities",
    code: "unsupported_parameter",
  },
  audio: {
    valid: [{ audio: null }],
    invalid: { audio: { voice: "alloy", format: "mp3" } },
    param: "audio",
    code: "unsupported_parameter",
  },
  kv_transfer_params: {
    valid: [{ kv_transfer_params: {} }],
    invalid: { kv_transfer_params: { do_remote_prefill: true } },
    param: "kv_transfer_params",
    code: "unsupported_parameter",
  },
  mm_processor_kwargs: {
    valid: [{ mm_processor_kwargs: {} }],
    invalid: { mm_processor_kwargs: { num_crops: 4 } },
    param: "mm_processor_kwargs",
    code: "unsupported_parameter",
  },
  truncation_side: {
    valid: [{ truncation_side: "left" }, { truncation_side: "right", truncate_prompt_tokens: 8 }],
    invalid: { truncation_side: "middle" },
    param: "truncation_side",
    code: "invalid_value",
  },
  session_id: { valid: [{ session_id: "chat-7" }], invalid: { session_id: 7 }, param: "session_id", code: "invalid_type" },
  thinking_token_budget: {
    valid: [{ thinking_token_budget: -1 }, { thinking_token_budget: null }],
    invalid: { thinking_token_budget: 64 },
    param: "thinking_token_budget",
    code: "unsupported_parameter",
  },
  logprob_token_ids: {
    valid: [{ logprob_token_ids: [] }],
    invalid: { logprob_token_ids: [1, 2] },
    param: "logprob_token_ids",
    code: "unsupported_parameter",
  },
  stream_interval: {
    valid: [{ stream_interval: 1, stream: true }],
    invalid: { stream_interval: 4, stream: true },
    param: "stream_interval",
    code: "unsupported_parameter",
  },
  return_prompt_text: {
    valid: [{ return_prompt_text: true }],
    invalid: { return_prompt_text: "yes" },
    param: "return_prompt_text",
    code: "invalid_type",
  },
  watermarking: {
    valid: [{ watermarking: false }],
    invalid: { watermarking: true },
    param: "watermarking",
    code: "unsupported_parameter",
  },
  ec_transfer_params: {
    valid: [{ ec_transfer_params: {} }],
    invalid: { ec_transfer_params: { do_remote_encode: true } },
    param: "ec_transfer_params",
    code: "unsupported_parameter",
  },
  media_io_kwargs: {
    valid: [{ media_io_kwargs: {} }],
    invalid: { media_io_kwargs: { video: { num_frames: 8 } } },
    param: "media_io_kwargs",
    code: "unsupported_parameter",
  },
  return_token_offsets: {
    valid: [{ return_token_offsets: true }],
    invalid: { return_token_offsets: 1 },
    param: "return_token_offsets",
    code: "invalid_type",
  },
  mm_payload: { valid: [{ mm_payload: "none" }], invalid: { mm_payload: "all" }, param: "mm_payload", code: "invalid_value" },
  return_mm_kwargs: {
    valid: [{ return_mm_kwargs: false }],
    invalid: { return_mm_kwargs: "no" },
    param: "return_mm_kwargs",
    code: "invalid_type",
  },
  routed_experts_prompt_start: {
    valid: [{ routed_experts_prompt_start: 0 }],
    invalid: { routed_experts_prompt_start: -1 },
    param: "routed_experts_prompt_start",
    code: "invalid_value",
  },
};
