import { describe, expect, it } from "vitest";
import { replyText, scriptProblem } from "../../../src/runners/scripted/script.js";
import { resolveModelSpec, TINY_MODEL_ID } from "../../../src/models/record.js";

describe("model script", () => {
  it("a reply is written as Qwen3 writes it: content, then each call as a Hermes <tool_call>", () => {
    expect(
      replyText({
        reasoning: "r",
        content: "Let me check.",
        toolCalls: [
          { name: "a", arguments: { x: 1 } },
          { name: "b", arguments: '{"y": "z"}' },
        ],
      }),
    ).toEqual({
      reasoning: "r",
      answer:
        'Let me check.\n<tool_call>\n{"name":"a","arguments":{"x":1}}\n</tool_call>\n<tool_call>\n{"name":"b","arguments":{"y":"z"}}\n</tool_call>',
    });
    expect(replyText({ content: "Hi" })).toEqual({ reasoning: null, answer: "Hi" });
  });

  it("a bad script names the field and says what is wrong", () => {
    expect(scriptProblem([{ content: "ok" }])).toBeNull();
    expect(scriptProblem([])).toEqual({ path: "", message: "must be a non-empty array of replies" });
    expect(scriptProblem([{ content: "ok" }, { text: "hi" }])).toEqual({
      path: "1.text",
      message: "unknown field (known: when, reasoning, content, toolCalls)",
    });
    expect(scriptProblem([{ when: "x" }])).toEqual({ path: "0", message: "needs content, reasoning or toolCalls" });
    expect(scriptProblem([{ content: 1 }])).toEqual({ path: "0.content", message: "must be a string" });
    expect(scriptProblem([{ toolCalls: [{ name: "", arguments: {} }] }])).toEqual({
      path: "0.toolCalls.0.name",
      message: "must be a non-empty string",
    });
    expect(scriptProblem([{ toolCalls: [{ name: "f", arguments: "{bad" }] }])).toEqual({
      path: "0.toolCalls.0.arguments",
      message: "must be a JSON object's text",
    });
  });
});

describe("model locations", () => {
  const page = "https://app.example/chat/index.html";
  it("the tiny model lives under modelBaseUrl, /models/ from the page's origin by default", () => {
    expect(resolveModelSpec(TINY_MODEL_ID, page)).toMatchObject({ model: "https://app.example/models/tiny-random-qwen3/" });
    expect(resolveModelSpec(TINY_MODEL_ID, page, "llm/")).toMatchObject({
      model: "https://app.example/chat/llm/tiny-random-qwen3/",
    });
    expect(resolveModelSpec(TINY_MODEL_ID, page, "https://cdn.example/m/")).toMatchObject({
      model: "https://cdn.example/m/tiny-random-qwen3/",
    });
  });

  it("a record's model URL may be relative to the page or absolute; prebuilt ids pass through", () => {
    expect(resolveModelSpec({ model_id: "m", model: "weights/m/" }, page)).toEqual({
      model_id: "m",
      model: "https://app.example/chat/weights/m/",
    });
    const remote = { model_id: "r", model: "https://huggingface.co/mlc-ai/X" };
    expect(resolveModelSpec(remote, page)).toEqual(remote);
    expect(resolveModelSpec("Qwen3-0.6B-q4f32_1-MLC", page)).toBe("Qwen3-0.6B-q4f32_1-MLC");
  });
});
