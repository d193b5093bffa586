/** Browser half of `npm run bench`: prompt path, grammar, worker-to-page transport and main-thread frame gaps. */
import * as Comlink from "comlink";
import { ChatStream } from "../../../src/client/stream.js";
import { chunkPort } from "../../../src/client/chunk-port.js";
import { createEngine } from "../../../src/index.js";
import { grammarCost } from "./grammar.js";
import { promptPath } from "./prompt-path.js";
import type { PumpWorker } from "./pump.worker.js";

async function rawRun(worker: Worker, n: number): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((done) => {
    let got = 0;
    worker.onmessage = () => {
      if (++got === n) done();
    };
    worker.postMessage({ n });
  });
  return performance.now() - t0;
}

async function oursRun(pump: Comlink.Remote<PumpWorker>, n: number): Promise<number> {
  const t0 = performance.now();
  const stream = new ChatStream();
  const channel = chunkPort(stream);
  const sent = pump.pump(n, Comlink.transfer(channel.port, [channel.port])).then(
    () => stream.end(),
    (e: unknown) => stream.end(e),
  );
  let got = 0;
  for await (const chunk of stream) if (chunk) got++;
  await sent;
  channel.close();
  if (got !== n) throw new Error(`ours delivered ${got} of ${n} chunks`);
  return performance.now() - t0;
}

let transportWorkers: { raw: Worker; pumpWorker: Worker; pump: Comlink.Remote<PumpWorker> } | undefined;

/** Longest gap between animation frames while the worker generates `tokens` tokens, per run. */
async function frameGaps(tokens: number, runs: number) {
  const engine = await createEngine({ model: "tiny-random-qwen3" });
  const longest: number[] = [];
  const tokensPerSecond: number[] = [];
  for (let r = 0; r < runs; r++) {
    let last = performance.now();
    let worst = 0;
    let running = true;
    const tick = (t: number) => {
      worst = Math.max(worst, t - last);
      last = t;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    const stream = await engine.chat.completions.create({
      messages: [{ role: "user", content: `run ${r}` }],
      max_tokens: tokens,
      ignore_eos: true,
      stream: true,
    });
    for await (const chunk of stream) if (!chunk) break;
    tokensPerSecond.push((tokens * 1000) / (performance.now() - t0));
    running = false;
    longest.push(worst);
  }
  await engine.dispose();
  return { longest, tokensPerSecond };
}

const bench = {
  async run(opts: { tokens: number; frameRuns: number }) {
    return {
      prompt: await promptPath([1000, 4000, 16000], 15),
      grammar: await grammarCost(9),
      frames: await frameGaps(opts.tokens, opts.frameRuns),
    };
  },
  /**
   * One transport run of n chunks, raw postMessage or our stream, in ms. The Node side calls these
   * alternately and reads the page's main-thread time around each through DevTools.
   */
  async transport(kind: "raw" | "ours", n: number): Promise<number> {
    if (!transportWorkers) {
      const raw = new Worker(new URL("./raw.worker.ts", import.meta.url), { type: "module" });
      const pumpWorker = new Worker(new URL("./pump.worker.ts", import.meta.url), { type: "module" });
      const pump = Comlink.wrap<PumpWorker>(pumpWorker);
      transportWorkers = { raw, pumpWorker, pump };
      await rawRun(raw, 100); // warm both paths up
      await oursRun(pump, 100);
    }
    return kind === "raw" ? rawRun(transportWorkers.raw, n) : oursRun(transportWorkers.pump, n);
  },
};
declare global {
  interface Window {
    bench: typeof bench;
  }
}
window.bench = bench;
document.body.dataset.ready = "true";
