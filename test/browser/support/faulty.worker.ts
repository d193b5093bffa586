/// <reference lib="webworker" />
/**
 * The engine worker (src/worker/worker.ts, unchanged) with faults the test page arms over a
 * BroadcastChannel: the runner throwing on its Nth forward from now (a lost GPU device), and a model
 * file whose download breaks halfway. The faults sit at the boundaries the engine does not own.
 */
import { GrammarCompiler } from "@mlc-ai/web-xgrammar";
import { ReferenceRunner } from "../../../src/runners/reference/index.js";
// Statically, so Comlink listens before the page's first message; the patches below run before any load.
import "../../../src/worker/worker.js";

export interface Faults {
  /** Throw on the Nth runner.forward from now (1 = the next); 0 = never. */
  failForward: number;
  /** The next fetch whose URL ends with this breaks after half its body. */
  cutDownload: string | null;
  /** The next grammar compile aborts as xgrammar's wasm does when it runs out of memory. */
  abortGrammar: boolean;
}

const faults: Faults = { failForward: 0, cutDownload: null, abortGrammar: false };
const channel = new BroadcastChannel("engine-faults");
channel.onmessage = (e: MessageEvent<Partial<Faults>>) => {
  Object.assign(faults, e.data);
  channel.postMessage("armed");
};

const forward = ReferenceRunner.prototype.forward;
ReferenceRunner.prototype.forward = function (this: ReferenceRunner, ...args: Parameters<typeof forward>) {
  if (faults.failForward > 0 && --faults.failForward === 0)
    return Promise.reject(new Error("GPU device was lost (injected fault)"));
  return forward.apply(this, args);
};

type Compile = (this: GrammarCompiler, ...args: unknown[]) => Promise<unknown>;
const compiler = GrammarCompiler.prototype as unknown as { compileGrammar: Compile };
const compileGrammar = compiler.compileGrammar;
compiler.compileGrammar = function (...args) {
  if (!faults.abortGrammar) return compileGrammar.apply(this, args);
  faults.abortGrammar = false;
  return Promise.reject(new WebAssembly.RuntimeError("Aborted(). Build with -sASSERTIONS for more info."));
};

const realFetch = self.fetch.bind(self);
self.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const res = await realFetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  if (!faults.cutDownload || !url.endsWith(faults.cutDownload) || !res.body) return res;
  faults.cutDownload = null;
  const half = Number(res.headers.get("content-length")) / 2;
  const reader = res.body.getReader();
  let sent = 0;
  const broken = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // error() drops queued chunks, so the half is delivered first and the break comes on the next pull.
      if (sent >= half) {
        void reader.cancel();
        return controller.error(new TypeError("network error"));
      }
      const { done, value } = await reader.read();
      if (done) return controller.close();
      const part = value.subarray(0, half - sent);
      sent += part.byteLength;
      controller.enqueue(part);
    },
  });
  return new Response(broken, { status: res.status, headers: res.headers });
};
