// A TypeScript app's use of the public types, compiled with strict settings and nothing but the
// package installed (no @webgpu/types, no web-llm): the package's .d.ts must stand on their own.
import {
  ApiError,
  createEngine,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ModelRecord,
  type Tool,
} from "webgpu-chat-engine";
import { chromiumWebGpuArgs, scriptedModel, type ModelScript } from "webgpu-chat-engine/testing";

const tools: Tool[] = [{ type: "function", function: { name: "add", parameters: { type: "object" } } }];
const record: ModelRecord = { model_id: "mine", model: "/models/mine/", runner: "reference" };

export async function run(): Promise<string> {
  const engine = await createEngine({ model: [record, "tiny-random-qwen3"], modelBaseUrl: "/models/" });
  const whole: ChatCompletion = await engine.chat.completions.create({ messages: [{ role: "user", content: "hi" }], tools });
  const stream = await engine.chat.completions.create({ messages: [{ role: "user", content: "hi" }], stream: true });
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const script: ModelScript = [{ content: "Hello" }, { when: "weather", toolCalls: [{ name: "add", arguments: { a: 1 } }] }];
  const scripted: ModelRecord = scriptedModel(script);
  try {
    await engine.load(scripted);
  } catch (e) {
    if (e instanceof ApiError) return `${e.status} ${e.type} ${e.param ?? ""} ${e.code ?? ""}`;
  }
  const response = await engine.fetch("/v1/models");
  return `${whole.choices[0]?.message.content ?? ""} ${chunks.length} ${response.status} ${chromiumWebGpuArgs.length}`;
}
