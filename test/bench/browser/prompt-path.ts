/** Prompt path per request in the page: Qwen3 chat template render + tokenize, for conversations of given sizes. */
import { assembleModel, loadModelFiles } from "../../../src/engine/model.js";
import { buildPrompt } from "../../../src/engine/prompt.js";
import { normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";

const PARAGRAPH =
  "The harbour wakes before the town does: gulls argue over the nets, a ferry coughs twice and settles, and the smell of diesel and bread drifts up the stone steps where the fishmonger counts crates. ";
const WINDOW = 1 << 20;

export async function promptPath(sizes: number[], runs: number): Promise<{ tokens: number; ms: number[] }[]> {
  const base = "/models/tiny-random-qwen3/";
  const [runner, files] = await Promise.all([ReferenceRunner.load(base), loadModelFiles(base)]);
  const model = await assembleModel("tiny-random-qwen3", runner, files);
  const out: { tokens: number; ms: number[] }[] = [];
  for (const target of sizes) {
    const messages: { role: string; content: string }[] = [{ role: "system", content: "You are a careful assistant." }];
    const request = () => normalizeRequest(validateRequest({ messages }), { models: [model.id], contextWindow: WINDOW, vocabSize: runner.vocabSize, logitsProcessors: [] });
    let tokens = buildPrompt(model, request(), WINDOW).length;
    while (tokens < target) {
      messages.push({ role: messages.length % 2 ? "user" : "assistant", content: PARAGRAPH.repeat(4) });
      tokens = buildPrompt(model, request(), WINDOW).length;
    }
    const req = request();
    const ms: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      buildPrompt(model, req, WINDOW);
      ms.push(performance.now() - t0);
    }
    out.push({ tokens, ms });
  }
  model.tokenizer.dispose();
  await runner.dispose();
  return out;
}
