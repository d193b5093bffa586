// A user's app: the package as installed from its tarball, no bundler configuration.
import { createEngine } from "webgpu-chat-engine";
import OpenAI from "openai";

const out = document.getElementById("out");

async function run() {
  const engine = await createEngine({ model: "tiny-random-qwen3" });
  // Sampling pinned: the tiny model's generation_config defaults (temperature 0.6, top_k 20) would apply otherwise.
  const request = {
    model: "tiny-random-qwen3",
    messages: [{ role: "user", content: "Hello" }],
    max_tokens: 12,
    seed: 7,
    temperature: 1,
    top_p: 1,
    top_k: -1,
  };
  const whole = await engine.chat.completions.create(request);
  const stream = await engine.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
  let streamed = "";
  let chunks = 0;
  let finish = null;
  for await (const chunk of stream) {
    chunks++;
    streamed += chunk.choices[0]?.delta.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  const openai = new OpenAI({
    apiKey: "local",
    baseURL: `${location.origin}/v1`,
    fetch: engine.fetch,
    dangerouslyAllowBrowser: true,
  });
  const viaClient = await openai.chat.completions.create(request);
  return {
    content: whole.choices[0].message.content,
    finish: whole.choices[0].finish_reason,
    usage: whole.usage,
    streamed,
    chunks,
    streamFinish: finish,
    clientContent: viaClient.choices[0].message.content,
  };
}

run().then(
  (r) => (out.textContent = JSON.stringify(r)),
  (e) => (out.textContent = "error: " + (e && e.message)),
);
