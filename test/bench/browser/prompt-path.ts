/**
 * Prompt path per request in the page: Qwen3 chat template render + tokenize, for conversations of
 * given sizes; ours side by side with transformers.js's own stack (its apply_chat_template renders
 * with @huggingface/jinja and encodes with @huggingface/tokenizers), on seeded varied prose (prose.ts).
 */
import { Template } from "@huggingface/jinja";
import { Tokenizer as HFTokenizer } from "@huggingface/tokenizers";
import { assembleModel } from "../../../src/engine/model.js";
import { loadModelFiles } from "../../../src/models/files.js";
import { buildPrompt } from "../../../src/engine/prompt/prompt.js";
import { normalizeRequest, validateRequest } from "../../../src/protocol/index.js";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";
import { proseSource } from "./prose.js";

const WINDOW = 1 << 20;

export interface PromptPathRun {
  tokens: number;
  ms: number[];
  peerMs: number[];
  /** Both produced the same token ids. */
  same: boolean;
}

/** A follow-up turn of the largest chat: the whole path against the incremental one, alternated. */
export interface IncrementalRun {
  tokens: number;
  /** Nothing reused (no earlier ids, an empty word cache). */
  fullMs: number[];
  /** The word cache as it is, no earlier ids: what incremental.ts alone adds over it. */
  wordsMs: number[];
  incrementalMs: number[];
  /** Every run of the three gave the same ids. */
  same: boolean;
}

export async function promptPath(
  sizes: number[],
  runs: number,
): Promise<{ sizes: PromptPathRun[]; incremental: IncrementalRun }> {
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
  type Message = { role: string; content: string };
  const request = (messages: Message[]) =>
    normalizeRequest(validateRequest({ messages }), {
      models: [model.id],
      contextWindow: WINDOW,
      vocabSize: runner.vocabSize,
      logitsProcessors: [],
    });
  // The whole path for one request: no ids of an earlier rendering, but the tokenizer's word cache
  // as it is, as transformers.js keeps its BPE word cache. The request is validated outside the
  // timing: the peer validates nothing.
  const full = (messages: Message[], req = request(messages)) => buildPrompt(model, req, WINDOW, undefined, { reuse: "words" });
  const out: PromptPathRun[] = [];
  let messages: Message[] = [];
  for (const target of sizes) {
    const prose = proseSource(target);
    messages = [{ role: "system", content: "You are a careful assistant." }];
    let tokens = full(messages).length;
    while (tokens < target) {
      messages.push({ role: messages.length % 2 ? "user" : "assistant", content: prose(800) });
      tokens = full(messages).length;
    }
    const ms: number[] = [];
    const peerMs: number[] = [];
    const req = request(messages);
    peer(messages); // warm, as ours is from growing the chat
    // Each sample repeats the call (~16k tokens a sample) so the page's 0.1 ms timer and one GC pause do not decide it.
    const reps = Math.max(1, Math.round(16_000 / target));
    // Alternated run by run (and which goes first), so drift in the machine's speed hits both alike.
    for (let r = 0; r < runs; r++) {
      const timeOurs = () => {
        const t0 = performance.now();
        for (let k = 0; k < reps; k++) full(messages, req);
        ms.push((performance.now() - t0) / reps);
      };
      const timePeer = () => {
        const t0 = performance.now();
        for (let k = 0; k < reps; k++) peer(messages);
        peerMs.push((performance.now() - t0) / reps);
      };
      for (const time of r % 2 ? [timePeer, timeOurs] : [timeOurs, timePeer]) time();
    }
    const same = peer(messages).join() === Array.from(full(messages)).join();
    out.push({ tokens, ms, peerMs, same });
  }
  // A follow-up turn of the largest chat: the previous turn went through buildPrompt (as the engine
  // does), then a new answer and question arrive; each run's turn is new text, so its ids are not
  // cached (its words may be, as in the engine). Render + tokenize, the whole path (nothing reused)
  // against the incremental one, alternated.
  const fullMs: number[] = [];
  const wordsMs: number[] = [];
  const incrementalMs: number[] = [];
  let same = true;
  const previous = request(messages);
  const paths = [
    ["none", fullMs],
    ["words", wordsMs],
    ["all", incrementalMs],
  ] as const;
  for (let r = 0; r < runs; r++) {
    buildPrompt(model, previous, WINDOW);
    const turn = request([
      ...messages,
      { role: "assistant", content: `Run ${r}: the ferry leaves at seven.` },
      { role: "user", content: `And after that, in run ${r}?` },
    ]);
    // The three paths in a rotating order, so each goes first in a third of the runs.
    const ids = [0, 1, 2].map((k) => {
      const [reuse, into] = paths[(r + k) % 3]!;
      const t0 = performance.now();
      const got = buildPrompt(model, turn, WINDOW, undefined, { reuse });
      into.push(performance.now() - t0);
      return got.join();
    });
    same &&= ids[0] === ids[1] && ids[1] === ids[2];
  }
  const tokens = full(messages).length;
  model.tokenizer.dispose();
  await runner.dispose();
  return { sizes: out, incremental: { tokens, fullMs, wordsMs, incrementalMs, same } };
}
