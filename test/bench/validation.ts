import { normalizeRequest, validateRequest, type NormalizeContext } from "../../src/protocol/index.js";
import { measure, type Stats } from "./stats.js";

const CTX: NormalizeContext = { models: ["tiny-random-qwen3"], contextWindow: 40960, vocabSize: 151936 };

const typical = {
  model: "tiny-random-qwen3",
  messages: [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "What is the capital of France?" },
    { role: "assistant", content: "Paris." },
    { role: "user", content: "And of Italy?" },
  ],
  temperature: 0.7,
  max_tokens: 256,
  stream: true,
  stream_options: { include_usage: true },
};

const tool = (i: number) => ({
  type: "function",
  function: {
    name: `tool_${i}`,
    description: "does a thing",
    parameters: { type: "object", properties: { a: { type: "string" }, b: { type: "integer" } }, required: ["a"] },
  },
});

/** Nearly every field set, 40 messages, 8 tools. */
const maximal = {
  ...typical,
  messages: Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `message ${i} `.repeat(20) })),
  tools: Array.from({ length: 8 }, (_, i) => tool(i)),
  tool_choice: "auto",
  parallel_tool_calls: true,
  n: 2,
  top_p: 0.9,
  top_k: 40,
  min_p: 0.05,
  seed: 7,
  presence_penalty: 0.5,
  frequency_penalty: 0.5,
  repetition_penalty: 1.1,
  logit_bias: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [String(i * 100), -5])),
  logprobs: true,
  top_logprobs: 5,
  // No prompt_logprobs: with stream (set by the typical request) it is a 400, as in vLLM.
  stop: ["\n\n", "END"],
  stop_token_ids: [151645],
  min_tokens: 2,
  ignore_eos: false,
  bad_words: ["foo", "bar"],
  include_stop_str_in_output: true,
  skip_special_tokens: true,
  return_token_ids: true,
  echo: false,
  chat_template_kwargs: { enable_thinking: false },
  documents: [{ title: "t", text: "x" }],
  priority: 1,
  request_id: "r-1",
  cache_salt: "s",
  repetition_detection: { max_pattern_size: 8, min_count: 4 },
  stream_options: { include_usage: true, continuous_usage_stats: true },
};

export function benchValidation(): { typical: Stats; maximal: Stats } {
  const run = (body: unknown, reps: number) =>
    measure(50, () => {
      for (let i = 0; i < reps; i++) normalizeRequest(validateRequest(body), CTX);
    });
  const perRequest = (s: Stats, reps: number): Stats => ({
    min: s.min / reps,
    median: s.median / reps,
    max: s.max / reps,
    runs: s.runs,
  });
  run(typical, 200); // warm up the JIT
  return { typical: perRequest(run(typical, 200), 200), maximal: perRequest(run(maximal, 20), 20) };
}
