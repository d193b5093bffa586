/** A page that loads a GGUF on the reference runner through the public API (worker and all). */
import { createEngine, type ChatCompletionRequest, type ChatEngine } from "../../../src/index.js";

let engine: ChatEngine | undefined;

const gguf = {
  async load(model: string): Promise<string[]> {
    const stages: string[] = [];
    engine = await createEngine({
      model: { model_id: "smollm2-gguf", model, runner: "reference" },
      onProgress: (p) => void stages.push(p.stage),
    });
    return [...new Set(stages)];
  },
  async chat(
    messages: ChatCompletionRequest["messages"],
    maxTokens: number,
  ): Promise<{ text: string; finish: string | null; promptTokens: number }> {
    const res = await engine!.chat.completions.create({ messages, max_tokens: maxTokens, temperature: 0, stream: false });
    return {
      text: res.choices[0]!.message.content ?? "",
      finish: res.choices[0]!.finish_reason,
      promptTokens: res.usage!.prompt_tokens,
    };
  },
  async error(model: string): Promise<{ code: string | null; message: string }> {
    try {
      await createEngine({ model: { model_id: "bad-gguf", model, runner: "reference" } });
      return { code: null, message: "loaded" };
    } catch (e) {
      return { code: (e as { code?: string }).code ?? null, message: (e as Error).message };
    }
  },
};

declare global {
  interface Window {
    gguf: typeof gguf;
  }
}
window.gguf = gguf;
document.body.dataset.ready = "true";
