import { describe, expect, it } from "vitest";
import { reasoningParserFor, type ReasoningContext } from "../../../src/engine/output/reasoning/reasoning-format.js";
import { REASONING_FORMATS, type ReasoningFormat } from "../../../src/protocol/parser-names.js";

// Cases from vLLM's tests/reasoning/test_<name>_reasoning_parser.py and its 0.32 parsers (names as
// --reasoning-parser takes them). Each runs whole (vLLM's non-streaming extract_reasoning) and in
// pieces of 1, 2 and 5 characters (streaming deltas, which split markers anywhere); null is what
// vLLM returns for an empty part, as our responses leave it out.
type Expected = { reasoning: string | null; content: string | null };

/** A Qwen3 prompt's end: the generation prompt, which leaves reasoning neither opened nor closed. */
const QWEN_PROMPT = "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n";

function split(name: ReasoningFormat, text: string | string[], ctx: Partial<ReasoningContext> = {}, size?: number): Expected {
  const parser = reasoningParserFor(name, null)!.parser;
  const s = parser.splitter({ promptTail: QWEN_PROMPT, kwargs: {}, detected: false, ...ctx });
  if (!s) return { reasoning: null, content: typeof text === "string" ? text : text.join("") };
  const pieces = Array.isArray(text) ? text : size ? (text.match(new RegExp(`[^]{1,${size}}`, "g")) ?? []) : [text];
  let reasoning = "";
  let content = "";
  for (const p of pieces) {
    const d = s.push(p);
    [reasoning, content] = [reasoning + d.reasoning, content + d.content];
  }
  const end = s.finish();
  [reasoning, content] = [reasoning + end.reasoning, content + end.content];
  return { reasoning: reasoning || null, content: content || null };
}

/** The same answer whole and in 1-, 2- and 5-character pieces. */
function expectSplit(name: ReasoningFormat, text: string, expected: Expected, ctx: Partial<ReasoningContext> = {}) {
  for (const size of [undefined, 1, 2, 5]) expect(split(name, text, ctx, size), `pieces of ${size ?? "all"}`).toEqual(expected);
}

const TOOL_CALL_BODY =
  "<tool_call>\n<function=bash>\n<parameter=command>\ncat /etc/hosts\n</parameter>\n</function>\n</tool_call>";

describe("qwen3 (vLLM's test_qwen3_reasoning_parser.py)", () => {
  const cases: [string, string, Expected][] = [
    [
      "without_start_token",
      "This is a reasoning section</think>This is the rest",
      { reasoning: "This is a reasoning section", content: "This is the rest" },
    ],
    [
      "without_start_token_complete_reasoning",
      "This is a reasoning section</think>",
      { reasoning: "This is a reasoning section", content: null },
    ],
    [
      "with_think",
      "<think>This is a reasoning section</think>This is the rest",
      { reasoning: "This is a reasoning section", content: "This is the rest" },
    ],
    ["without_think (truncated: all reasoning)", "This is the rest", { reasoning: "This is the rest", content: null }],
    [
      "complete_reasoning",
      "<think>This is a reasoning section</think>",
      { reasoning: "This is a reasoning section", content: null },
    ],
    [
      "multiline_reasoning",
      "<think>This is a reasoning\nsection</think>This is the rest\nThat",
      { reasoning: "This is a reasoning\nsection", content: "This is the rest\nThat" },
    ],
    ["only_open_tag", "<think>This is a reasoning section", { reasoning: "This is a reasoning section", content: null }],
    ["truncated_no_start_token", "This is a reasoning section", { reasoning: "This is a reasoning section", content: null }],
    [
      "tool_call_no_think_end",
      "I need to read the file.\n\n" + TOOL_CALL_BODY,
      { reasoning: "I need to read the file.\n\n", content: TOOL_CALL_BODY },
    ],
    [
      "tool_call_with_think_no_end",
      "<think>I need to read the file.\n\n" + TOOL_CALL_BODY,
      { reasoning: "I need to read the file.\n\n", content: TOOL_CALL_BODY },
    ],
  ];
  it.each(cases)("%s", (_, text, expected) => expectSplit("qwen3", text, expected));

  it.each([
    [["<think>This is a reasoning section", "</think>", "This is the rest"], "This is a reasoning section", "This is the rest"],
    [["reasoning section", "</think>This is the rest"], "reasoning section", "This is the rest"],
    [["<think>reasoning</think>"], "reasoning", null],
    [["reasoning section", "</think>content"], "reasoning section", "content"],
    [
      ["I need to read the file.\n\n", "<tool_call>\n<function=bash>"],
      "I need to read the file.\n\n",
      "<tool_call>\n<function=bash>",
    ],
  ])("multi-token deltas %j", (deltas, reasoning, content) => {
    expect(split("qwen3", deltas)).toEqual({ reasoning, content });
  });

  it.each(["This is plain content", "Some output without think tokens", "I need to read the file.\n\n" + TOOL_CALL_BODY])(
    "enable_thinking false: all content (%j)",
    (text) => expectSplit("qwen3", text, { reasoning: null, content: text }, { kwargs: { enable_thinking: false } }),
  );

  it("a prompt that closed the think block (thinking off in the template) leaves all content; a repeated </think> is dropped", () => {
    const closed = QWEN_PROMPT + "<think>\n\n</think>\n\n";
    expectSplit("qwen3", "Hello</think>!", { reasoning: null, content: "Hello!" }, { promptTail: closed });
    expectSplit("qwen3", "a</think>b</think>c", { reasoning: "a", content: "bc" });
  });
});

describe("deepseek_r1 (vLLM's test_deepseekr1_reasoning_parser.py)", () => {
  const cases: [string, string, Expected][] = [
    [
      "simple_reasoning",
      "This is a reasoning section</think>This is the rest",
      { reasoning: "This is a reasoning section", content: "This is the rest" },
    ],
    ["complete_reasoning", "This is a reasoning section</think>", { reasoning: "This is a reasoning section", content: null }],
    ["no_content", "This is content", { reasoning: "This is content", content: null }],
    [
      "multiple_lines",
      "This\nThat</think>This is the rest\nThat",
      { reasoning: "This\nThat", content: "This is the rest\nThat" },
    ],
    ["shortest", "</think>This is the rest", { reasoning: null, content: "This is the rest" }],
    [
      "reasoning_with_think",
      "<think>This is a reasoning section</think>This is the rest",
      { reasoning: "This is a reasoning section", content: "This is the rest" },
    ],
    [
      "complete_reasoning_with_think",
      "<think>This is a reasoning section</think>",
      { reasoning: "This is a reasoning section", content: null },
    ],
    [
      "multiple_lines_with_think",
      "<think>This\nThat</think>This is the rest\nThat",
      { reasoning: "This\nThat", content: "This is the rest\nThat" },
    ],
    ["think_no_end", "<think>This is a reasoning section", { reasoning: "This is a reasoning section", content: null }],
    ["empty", "", { reasoning: null, content: null }],
    // vLLM's streaming answer; its non-streaming one drops the "\n" before <think>.
    [
      "new_line_streaming",
      "\n<think>This is a reasoning section</think>\nThis is the rest",
      { reasoning: "\nThis is a reasoning section", content: "\nThis is the rest" },
    ],
  ];
  it.each(cases)("%s", (_, text, expected) => expectSplit("deepseek_r1", text, expected, { promptTail: "<｜Assistant｜>" }));

  it("a </think> after reasoning ended is content, as vLLM's partition leaves it", () => {
    expectSplit("deepseek_r1", "a</think>b</think>c", { reasoning: "a", content: "b</think>c" });
  });
});

describe("deepseek_v3 (vLLM's test_deepseekv3_reasoning_parser.py)", () => {
  const text = "<think>This is a reasoning section</think>This is the rest";
  it("thinking on in chat_template_kwargs: deepseek_r1", () => {
    for (const kwargs of [{ thinking: true }, { enable_thinking: true }])
      expectSplit("deepseek_v3", text, { reasoning: "This is a reasoning section", content: "This is the rest" }, { kwargs });
  });
  it("thinking off or unset: no reasoning parsing, all content", () => {
    for (const kwargs of [{}, { thinking: false }])
      expectSplit("deepseek_v3", text, { reasoning: null, content: text }, { kwargs });
  });
});

describe("mistral (vLLM 0.32's mistral parser config: [THINK] special tokens, output starts as content)", () => {
  const cases: [string, string, Expected][] = [
    [
      "think then answer",
      "[THINK]This is a reasoning section[/THINK]This is the rest",
      { reasoning: "This is a reasoning section", content: "This is the rest" },
    ],
    ["no think: all content", "This is the rest", { reasoning: null, content: "This is the rest" }],
    ["text before [THINK] stays content", "Hmm[THINK]x[/THINK]y", { reasoning: "x", content: "Hmmy" }],
    ["truncated reasoning", "[THINK]This is a reasoning section", { reasoning: "This is a reasoning section", content: null }],
    [
      "trailing whitespace of reasoning is dropped",
      "[THINK]thinking \n\n[/THINK]answer",
      { reasoning: "thinking", content: "answer" },
    ],
    [
      "[TOOL_CALLS] ends reasoning",
      '[THINK]call it[TOOL_CALLS]get_time[ARGS]{"tz":"UTC"}',
      { reasoning: "call it", content: '[TOOL_CALLS]get_time[ARGS]{"tz":"UTC"}' },
    ],
    ["a stray [/THINK] is dropped", "a[/THINK]b", { reasoning: null, content: "ab" }],
  ];
  it.each(cases)("%s", (_, text, expected) => expectSplit("mistral", text, expected, { promptTail: "[/INST]" }));
});

describe("granite (vLLM's test_granite_reasoning_parser.py)", () => {
  const cases: [string, string, Expected][] = [
    [
      "simple_reasoning",
      "Here is my thought process:This is a reasoning sectionHere is my response:This is the rest",
      { reasoning: "This is a reasoning section", content: "This is the rest" },
    ],
    [
      "complete_reasoning",
      "Here is my thought process:This is a reasoning sectionHere is my response:",
      { reasoning: "This is a reasoning section", content: null },
    ],
    ["no_reasoning", "This is content", { reasoning: null, content: "This is content" }],
    [
      "multiple_lines",
      "Here is my thought process:This\nThatHere is my response:This is the rest\nThat",
      { reasoning: "This\nThat", content: "This is the rest\nThat" },
    ],
    [
      "alternate spelling",
      "Here's my thought process: I should greet. Here's my response: Hello!",
      { reasoning: " I should greet. ", content: " Hello!" },
    ],
    ["text that starts like the marker but is not", "Here is my answer", { reasoning: null, content: "Here is my answer" }],
  ];
  it.each(cases)("%s", (_, text, expected) => expectSplit("granite", text, expected));
});

describe("choosing a parser", () => {
  it("every name is vLLM's", () => {
    expect(REASONING_FORMATS.toSorted()).toEqual(["deepseek_r1", "deepseek_v3", "granite", "mistral", "openai_gptoss", "qwen3"]);
  });

  it("a record's name wins; otherwise the chat template says which family, and none when it shows no reasoning", () => {
    expect(reasoningParserFor("deepseek_r1", "<|im_start|><think>")).toMatchObject({ detected: false });
    const detect = (t: string) => {
      const found = reasoningParserFor(null, t);
      return found && REASONING_FORMATS.find((n) => reasoningParserFor(n, null)!.parser === found.parser);
    };
    expect(detect("{{'<|im_start|>assistant\\n'}}{% if enable_thinking is false %}<think>\\n\\n</think>{% endif %}")).toBe(
      "qwen3",
    );
    expect(detect("{{'<｜Assistant｜>'}}{% if ns.is_tool %}{{'</think>'}}{% endif %}")).toBe("deepseek_r1");
    expect(detect("{% if thinking %}{{'<｜Assistant｜><think>'}}{% else %}{{'<｜Assistant｜></think>'}}{% endif %}")).toBe(
      "deepseek_v3",
    );
    expect(detect("[SYSTEM_PROMPT]...[THINK]...[/THINK][/SYSTEM_PROMPT]")).toBe("mistral");
    expect(detect("In the thought process, write 'Here is my thought process:'")).toBe("granite");
    expect(detect("<|start|>assistant<|channel|>final<|message|>{{ content }}<|end|>")).toBe("openai_gptoss");
    expect(detect("{{'<|im_start|>assistant\\n'}}")).toBeNull();
  });

  it("detected from the template, a parser splits only what the output or the prompt marks as reasoning", () => {
    const detected = { detected: true };
    expectSplit("qwen3", "No tags here.", { reasoning: null, content: "No tags here." }, detected);
    expectSplit("qwen3", "<think>hm</think>Yes.", { reasoning: "hm", content: "Yes." }, detected);
    expectSplit(
      "qwen3",
      "17 is prime.</think>Yes.",
      { reasoning: "17 is prime.", content: "Yes." },
      { ...detected, promptTail: QWEN_PROMPT + "<think>\n" },
    );
    expectSplit("qwen3", "<thin ice>", { reasoning: null, content: "<thin ice>" }, detected);
  });
});

describe("openai_gptoss (harmony channels, as openai-harmony reads them for vLLM)", () => {
  const cases: [string, string, Expected][] = [
    [
      "analysis then final",
      "<|channel|>analysis<|message|>User greets. Reply.<|end|><|start|>assistant<|channel|>final<|message|>Hello!",
      { reasoning: "User greets. Reply.", content: "Hello!" },
    ],
    ["final only", "<|channel|>final<|message|>Hi there.<|return|>", { reasoning: null, content: "Hi there." }],
    ["truncated analysis", "<|channel|>analysis<|message|>Thinking about", { reasoning: "Thinking about", content: null }],
    [
      "a constrained commentary message is content",
      '<|channel|>analysis<|message|>Need time.<|end|><|start|>assistant<|channel|>commentary to=functions.get_time <|constrain|>json<|message|>{"tz":"UTC"}<|call|>',
      { reasoning: "Need time.", content: '{"tz":"UTC"}' },
    ],
    ["no harmony header: plain content", "Just text.", { reasoning: null, content: "Just text." }],
  ];
  it.each(cases)("%s", (_, text, expected) => expectSplit("openai_gptoss", text, expected, { promptTail: "<|start|>assistant" }));
});
