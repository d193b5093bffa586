/** Requests sent while the model is still loading: they wait for the load, by priority, and abort as queued ones do. */
import { createEngine, type ChatCompletionRequest } from "../../../src/index.js";
import { errorInfo } from "./error-info.js";

export async function whileLoading() {
  const engine = await createEngine({});
  const messages = [{ role: "user" as const, content: "q" }];
  let loaded = false;
  const load = engine.load("tiny-random-qwen3").then(() => (loaded = true));
  const finished: string[] = [];
  const send = (id: string, extra: Partial<ChatCompletionRequest>, signal?: AbortSignal) =>
    engine.chat.completions
      .create({ messages, max_tokens: 2, request_id: id, ...extra, stream: false } as ChatCompletionRequest & { stream: false }, {
        signal,
      })
      .then((r) => (finished.push(id), { id, loadedFirst: loaded, finish: r.choices[0]!.finish_reason }))
      .catch((e: unknown) => ({ id, loadedFirst: loaded, ...errorInfo(e) }));
  const aborter = new AbortController();
  const calls = [
    send("p5", { priority: 5 }),
    send("p1", { priority: 1 }),
    send("aborted", {}, aborter.signal),
    send("p3", { priority: 3 }),
  ];
  aborter.abort();
  const abortedBeforeLoad = !loaded;
  const stream = await engine.chat.completions.create({ messages, max_tokens: 3, stream: true });
  let streamed = 0;
  for await (const c of stream) streamed += c.choices.length;
  const results = await Promise.all(calls);
  await load;
  await engine.dispose();
  return { results, finished, abortedBeforeLoad, streamed };
}
