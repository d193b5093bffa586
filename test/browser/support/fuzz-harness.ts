/** Fuzzing the page API: seeded cases through engine.chat.completions.create and engine.fetch. */
import { Prng } from "../../../src/engine/sampling/prng.js";
import { ApiError, createEngine, type ChatCompletionRequest, type ChatEngine } from "../../../src/index.js";
import { fuzzCase, type FuzzCase } from "../../fuzz/cases.js";
import { CORPUS } from "../../unit/protocol/corpus.js";

const VALID = Object.values(CORPUS).flatMap((c) => c.valid.map((v) => ({ messages: [{ role: "user", content: "hi" }], ...v })));

/** One case's outcome: "ok", "<status> <code>", or "FAIL ..." (a crash or a 5xx). */
async function runCase(engine: ChatEngine, c: FuzzCase): Promise<string> {
  if (c.via === "create") {
    try {
      const r = (await engine.chat.completions.create(c.body as ChatCompletionRequest)) as unknown;
      if (r && typeof r === "object" && Symbol.asyncIterator in r)
        for await (const chunk of r as AsyncIterable<unknown>) void chunk;
      return "ok";
    } catch (e) {
      if (!(e instanceof ApiError)) return `FAIL threw ${String(e)}`;
      return e.status >= 500 ? `FAIL ${e.status} ${e.code}: ${e.message}` : `${e.status} ${e.code}`;
    }
  }
  const body = c.raw ?? JSON.stringify(c.body) ?? "";
  const res = await engine.fetch("http://engine.invalid/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const text = await res.text();
  if (res.status >= 500) return `FAIL ${res.status} ${text.slice(0, 300)}`;
  if (res.status === 200) return "ok";
  return `${res.status} ${(JSON.parse(text) as { error?: { code?: string } }).error?.code ?? "?"}`;
}

export async function fuzz(count: number, seed: number) {
  // A small context window bounds what a valid case can generate.
  const engine = await createEngine({ model: "tiny-random-qwen3", contextWindow: 192 });
  const worker = await engine.worker();
  const rng = new Prng(seed);
  const outcomes: Record<string, number> = {};
  const failures: string[] = [];
  for (let i = 0; i < count; i++) {
    const c = fuzzCase(rng, VALID);
    const outcome = await runCase(engine, c);
    const key = `${c.kind} ${c.via}: ${outcome.startsWith("FAIL") ? "FAIL" : outcome}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (outcome.startsWith("FAIL") && failures.length < 10)
      failures.push(
        `case ${i} (${c.kind} via ${c.via}): ${outcome} for ${(c.raw ?? JSON.stringify(c.body) ?? "").slice(0, 300)}`,
      );
  }
  const after = await engine.chat.completions.create({ messages: [{ role: "user", content: "still there?" }], max_tokens: 3 });
  const sameWorker = (await engine.worker()) === worker;
  await engine.dispose();
  return { outcomes, failures, sameWorker, after: after.choices[0]!.finish_reason };
}
