/** Test-page side of faulty.worker.ts: arm a fault, then drive the engine through it. */
import * as Comlink from "comlink";
import type { ChatCompletion, ChatCompletionChunk } from "../../../src/protocol/index.js";
import type { EngineHost } from "../../../src/worker/engine-host.js";
import type { Faults } from "./faulty.worker.js";
import { TINY } from "./engine-client.js";
import { errorInfo, type ErrorInfo } from "./error-info.js";

const TINY_SPEC = { model_id: TINY, model: "/models/tiny-random-qwen3/", runner: "reference" as const };
const channel = new BroadcastChannel("engine-faults");
let host: Comlink.Remote<EngineHost> | undefined;

function arm(f: Partial<Faults>): Promise<void> {
  return new Promise((resolve) => {
    channel.onmessage = () => resolve();
    channel.postMessage(f);
  });
}

async function faulty(): Promise<Comlink.Remote<EngineHost>> {
  host ??= Comlink.wrap<EngineHost>(new Worker(new URL("./faulty.worker.ts", import.meta.url), { type: "module" }));
  return host;
}

const settle = async <T>(p: Promise<T>): Promise<T | ErrorInfo> => p.catch(errorInfo);

/** A seeded sampled request: the same tokens every time the engine is in a sound state. */
const SEEDED = {
  messages: [{ role: "user", content: "Count to five." }],
  max_tokens: 8,
  seed: 11,
  temperature: 1,
  ignore_eos: true,
};
const content = (r: ChatCompletion | ErrorInfo) => ("error" in r ? r : r.choices[0]!.message.content);

/** The runner throws mid-generation, once in a whole response and once in a stream. */
export async function runnerFault() {
  const h = await faulty();
  await h.load(TINY_SPEC);
  const before = content(await h.create(SEEDED));
  await arm({ failForward: 4 }); // the prompt, then 3 decode steps
  const failed = await settle(h.create(SEEDED));
  await arm({ failForward: 5 });
  const chunks: ChatCompletionChunk[] = [];
  const streamed = await settle(
    h.stream(
      { ...SEEDED, stream: true },
      crypto.randomUUID(),
      Comlink.proxy((batch: ChatCompletionChunk[]) => void chunks.push(...batch)),
    ),
  );
  const after = content(await h.create(SEEDED));
  const prefixReuse = content(await h.create(SEEDED)); // served from the prefix cache the fault emptied
  return {
    before,
    failed,
    streamed: streamed ?? "completed",
    chunksBeforeError: chunks.length,
    after,
    prefixReuse,
    queued: await h.queued(),
  };
}

/** model.safetensors breaks halfway through the download: the load fails clearly, the next load works. */
export async function downloadFault() {
  const h = await faulty();
  await h.models(); // the worker is up, so its channel hears the fault
  await arm({ cutDownload: "model.safetensors" });
  const failed = await settle(h.load(TINY_SPEC));
  const modelsAfterFailure = await h.models();
  const retried = await settle(h.load(TINY_SPEC));
  const answer = content(await h.create(SEEDED));
  return { failed, modelsAfterFailure, retried, answer };
}

/** The same seeded request on the normal worker, for comparison. */
export async function reference(): Promise<string | ErrorInfo | null> {
  const { create } = await import("./engine-client.js");
  return content(await create(SEEDED));
}

/** xgrammar's wasm aborting (as on out of memory): that request is refused, and later grammar and plain requests still work. */
export async function grammarCrash() {
  const h = await faulty();
  await h.load(TINY_SPEC);
  await arm({ abortGrammar: true });
  const body = { messages: SEEDED.messages, max_tokens: 4, response_format: { type: "json_object" } };
  const crashed = await settle(h.create(body));
  const later = content(
    await settle(h.create({ ...body, max_tokens: 8, structured_outputs: { choice: ["yes", "no"] }, response_format: undefined })),
  );
  const plain = content(await h.create(SEEDED));
  return { crashed, later, plain };
}
