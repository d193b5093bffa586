/**
 * Prompt path per request in the page: Qwen3 chat template render + tokenize, for conversations of
 * given sizes; ours side by side with transformers.js's own stack (its apply_chat_template renders
 * with @huggingface/jinja and encodes with @huggingface/tokenizers; the transformers package itself
 * cannot install here: onnxruntime-node's install script downloads from nuget.org).
 */
import { Template } from "@huggingface/jinja";
import { Tokenizer as HFTokenizer } from "@huggingface/tokenizers";
import { assembleModel, loadModelFiles } from "../../../src/engine/model.js";
import { buildPrompt } from "../../../src/engine/prompt/prompt.js";
import { normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";

const PARAGRAPH =
  "The harbour wakes before the town does: gulls argue over the nets, a ferry coughs twice and settles, and the smell of diesel and bread drifts up the stone steps where the fishmonger counts crates. ";
const WINDOW = 1 << 20;

export interface PromptPathRun {
  tokens: number;
  ms: number[];
  peerMs: number[];
  /** Both produced the same token ids. */
  same: boolean;
}

export async function promptPath(sizes: number[], runs: number): Promise<PromptPathRun[]> {
  const base = "/models/tiny-random-qwen3/";
  const [runner, files] = await Promise.all([ReferenceRunner.load(base), loadModelFiles(base)]);
  const model = await assembleModel("tiny-random-qwen3", runner, files);
  const peerTokenizer = new HFTokenizer(
    JSON.parse(new TextDecoder().decode(files.tokenizerJson)) as object,
    files.tokenizerConfig,
  );
  const peerTemplate = new Template(model.chatTemplate!);
  const peer = (messages: object[]) =>
    peerTokenizer.encode(
      peerTemplate.render({
        messages,
        add_generation_prompt: true,
        bos_token: model.tokenizer.bosToken ?? "",
        eos_token: model.tokenizer.eosToken ?? "",
      }),
      { add_special_tokens: false },
    ).ids;
  const out: PromptPathRun[] = [];
  for (const target of sizes) {
    const messages: { role: string; content: string }[] = [{ role: "system", content: "You are a careful assistant." }];
    const request = () =>
      normalizeRequest(validateRequest({ messages }), {
        models: [model.id],
        contextWindow: WINDOW,
        vocabSize: runner.vocabSize,
        logitsProcessors: [],
      });
    let tokens = buildPrompt(model, request(), WINDOW).length;
    while (tokens < target) {
      messages.push({ role: messages.length % 2 ? "user" : "assistant", content: PARAGRAPH.repeat(4) });
      tokens = buildPrompt(model, request(), WINDOW).length;
    }
    const req = request();
    const ms: number[] = [];
    const peerMs: number[] = [];
    // Alternated run by run, so drift in the machine's speed hits both alike.
    for (let r = 0; r < runs; r++) {
      let t0 = performance.now();
      buildPrompt(model, req, WINDOW);
      ms.push(performance.now() - t0);
      t0 = performance.now();
      peer(messages);
      peerMs.push(performance.now() - t0);
    }
    const same = peer(messages).join() === Array.from(buildPrompt(model, req, WINDOW)).join();
    out.push({ tokens, ms, peerMs, same });
  }
  model.tokenizer.dispose();
  await runner.dispose();
  return out;
}
