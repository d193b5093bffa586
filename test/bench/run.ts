/**
 * npm run bench: per-token costs on this machine, min / median / max over repeated runs, and
 * ratios measured side by side in this one process. Every ratio is a ratio of medians (median time
 * of one path / median time of the other, their runs interleaved), never a median of per-pair
 * ratios. Results also go to .bench/results.json, with the headline ratios under `ratios`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { ReferenceRunner } from "../../src/runners/reference/index.js";
import { matVec } from "../../src/runners/reference/ops.js";
import { DEFAULT_TINY_MODEL_DIR } from "../fixtures/make-tiny-model.js";
import { benchLoop } from "./loop.js";
import { benchValidation } from "./validation.js";
import { benchBrowser } from "./browser.js";
import { benchOnnx } from "./onnx.js";
import { realRatios } from "./real-generate.js";
import { realTableRows } from "./real-table.js";
import { benchGguf } from "./gguf.js";
import { benchGgufBrowser, ggufRatios } from "./gguf-browser.js";
import { benchVllmAnchor } from "./vllm-anchor.js";
import { fmt, measure, ratioOfMedians, type Stats } from "./stats.js";

const dir = DEFAULT_TINY_MODEL_DIR + "/";
const runner = ReferenceRunner.fromBytes(
  JSON.parse(readFileSync(dir + "config.json", "utf8")),
  new Uint8Array(readFileSync(dir + "model.safetensors")),
  { contextWindow: 4096 },
);
const V = runner.vocabSize;
const H = runner.config.hiddenSize;

// Floor: one pass over the logits (max of a Float32Array of the vocab size).
const logits = new Float32Array(V).map((_, i) => Math.sin(i));
let sink = 0;
const floor = measure(200, () => {
  let m = -Infinity;
  for (let i = 0; i < V; i++) if (logits[i]! > m) m = logits[i]!;
  sink += m;
});

// Vocab projection alone: [V, H] x [H].
const weights = new Float32Array(V * H).map((_, i) => Math.cos(i));
const hidden = new Float32Array(H).fill(0.5);
const projection = measure(50, () => matVec(weights, V, H, hidden, logits));

// Prefill of 128 tokens, then decode steps.
const prompt = Int32Array.from({ length: 128 }, (_, i) => (i * 7919) % V);
const runs: number[] = [];
const prefill: number[] = [];
for (let r = 0; r < 3; r++) {
  runner.reset();
  let t0 = performance.now();
  await runner.forward(prompt);
  prefill.push(performance.now() - t0);
  t0 = performance.now();
  for (let i = 0; i < 64; i++) await runner.forward(Int32Array.of(i));
  runs.push((performance.now() - t0) / 64);
}
const decodeMs = [...runs].sort((a, b) => a - b);
const decode: Stats = { min: decodeMs[0]!, median: decodeMs[1]!, max: decodeMs[2]!, runs: 3 };
const prefillSorted = [...prefill].sort((a, b) => a - b);

const rows: [string, string, string][] = [
  ["floor: max over 151936 logits", fmt(floor), "ms"],
  ["vocab projection 151936 x 64", fmt(projection), `ms, ${(projection.median / floor.median).toFixed(1)}x floor`],
  ["reference decode (tiny model, ctx 128-192)", fmt(decode), `ms/token, ${(1000 / decode.median).toFixed(1)} tokens/s`],
  [
    "reference prefill 128 tokens",
    `${prefillSorted[1]!.toFixed(1)} (${prefillSorted[0]!.toFixed(1)}..${prefillSorted[2]!.toFixed(1)})`,
    `ms, ${((128 * 1000) / prefillSorted[1]!).toFixed(0)} tokens/s`,
  ],
];
const loop = await benchLoop();
const vsFloor = (s: Stats) => `${(s.median / floor.median).toFixed(0)}x floor`;
rows.push(
  ["loop per token: sample at T=1 + detokenize", fmt(loop.plain), `ms, ${vsFloor(loop.plain)}`],
  [
    "loop per token: penalties, bias, bad words, top_p",
    fmt(loop.typical),
    `ms, ${vsFloor(loop.typical)} (target < 1: ${loop.typical.median < 1 ? "met" : "not met"})`,
  ],
  [
    "loop per token: same + top_logprobs=20",
    fmt(loop.logprobs20),
    `ms, ${vsFloor(loop.logprobs20)}, ${ratioOfMedians(loop.logprobs20, loop.typical).toFixed(2)}x the loop without it`,
  ],
);
const validation = benchValidation();
rows.push(
  [
    "validate + normalize, typical request",
    fmt(validation.typical),
    `ms (target < 0.1: ${validation.typical.median < 0.1 ? "met" : "not met"})`,
  ],
  ["validate + normalize, maximal request", fmt(validation.maximal), "ms"],
);
const inBrowser = await benchBrowser();
for (const p of inBrowser.prompt) {
  rows.push(
    [
      `prompt path, Chromium: template + tokenize, ${p.tokens} tokens`,
      fmt(p.stats),
      `ms, ${((p.tokens * 1000) / p.stats.median / 1e6).toFixed(2)}M tokens/s`,
    ],
    [
      `  same, transformers.js stack (@huggingface/jinja + tokenizers)`,
      fmt(p.peer),
      `ms, ours ${p.ratio.toFixed(2)}x as fast${p.same ? ", same ids" : " (token ids DIFFER)"}`,
    ],
  );
}
const inc = inBrowser.incremental;
rows.push(
  [`prompt path, Chromium: follow-up turn of the ${inc.tokens}-token chat, whole (nothing reused)`, fmt(inc.full), "ms"],
  [
    "  same turn, word cache warm, no ids reused",
    fmt(inc.words),
    `ms, ${ratioOfMedians(inc.full, inc.words).toFixed(1)}x as fast`,
  ],
  [
    "  same turn, incremental (ids of the common prefix reused, word cache warm)",
    fmt(inc.incremental),
    `ms, ${inc.ratio.toFixed(1)}x as fast as the whole path${inc.same ? ", same ids" : " (token ids DIFFER)"}`,
  ],
);
const g = inBrowser.grammar;
rows.push(
  [
    `grammar, Chromium: engine's pick, model writing the nested schema (${g.tokens} tokens)`,
    fmt(g.agreeing),
    `ms added per token, ${((100 * g.agreeing.median) / loop.typical.median).toFixed(0)}% of the unconstrained loop (target < 0.5: ${g.agreeing.median < 0.5 ? "met" : "not met"})`,
  ],
  [
    `grammar, Chromium: mask + apply + accept every token (model fighting it; logprobs/top-p/top-k/min-p)`,
    fmt(g.mean),
    "ms added per token, mean",
  ],
  [
    "grammar, Chromium: same, median token",
    fmt(g.median),
    "ms (timer steps of 0.1 ms; tokens inside maxLength strings cost ~15 ms)",
  ],
  [
    "grammar, Chromium: compile the nested schema / vocab setup (once per model)",
    `${g.compileMs.toFixed(0)} / ${g.setupMs.toFixed(0)}`,
    "ms, cached after the first request",
  ],
);
const perSecond = (s: Stats) => ((inBrowser.chunks * 1000) / s.median).toFixed(0);
rows.push(
  [
    `transport: ${inBrowser.chunks} chunks, raw postMessage (floor)`,
    fmt(inBrowser.raw),
    `ms, ${perSecond(inBrowser.raw)} chunks/s; page main thread ${inBrowser.rawMainUs.median.toFixed(1)} µs/chunk`,
  ],
  [
    `transport: ${inBrowser.chunks} chunks, ours (batches over a MessagePort + back-pressure)`,
    fmt(inBrowser.ours),
    `ms, ${perSecond(inBrowser.ours)} chunks/s, ${inBrowser.ratio.toFixed(2)}x the floor's rate; page main thread ${inBrowser.oursMainUs.median.toFixed(1)} µs/chunk`,
  ],
  [
    "main thread: longest frame gap, 120 streamed tokens",
    fmt(inBrowser.frameGap),
    `ms (${inBrowser.tokensPerSecond.median.toFixed(1)} tokens/s in the browser)`,
  ],
);
const onnx = await benchOnnx();
for (const device of ["wasm", "webgpu"] as const) {
  const pre = onnx.prefillMs[device];
  rows.push(
    [
      `OnnxRunner, Chromium ${device}: prefill ${onnx.promptTokens} tokens (tiny Qwen3 graph, vocab 512)`,
      fmt(pre),
      `ms, ${((onnx.promptTokens * 1000) / pre.median).toFixed(0)} tokens/s`,
    ],
    [
      `OnnxRunner, Chromium ${device}: decode (greedy, ${onnx.decodeSteps} steps)`,
      fmt(onnx.decodeMs[device]),
      `ms/token${device === "webgpu" ? `, ${(onnx.decodeMs.webgpu.median / onnx.decodeMs.wasm.median).toFixed(1)}x wasm's (SwiftShader is a CPU)` : ""}`,
    ],
  );
}
const gen = onnx.generate;
const tps = (s: Stats) => ((gen.promptTokens * 1000) / s.median).toFixed(0);
for (const g of gen.rows) {
  const where = `ONNX generate, Chromium ${g.device}, ${g.model}`;
  const peer = `  same, transformers.js ${gen.transformersJsVersion} generate`;
  const tokens = g.same ? "same greedy tokens" : "greedy tokens DIFFER";
  rows.push(
    [
      `${where}: prefill ${gen.promptTokens} tokens, ours (engine loop)`,
      fmt(g.ours.prefillMs),
      `ms to 1st token, ${tps(g.ours.prefillMs)} tokens/s`,
    ],
    [
      peer,
      fmt(g.transformersJs.prefillMs),
      `ms, ${tps(g.transformersJs.prefillMs)} tokens/s; ours ${g.prefillRatio.toFixed(2)}x as fast`,
    ],
    [`${where}: decode (${g.newTokens} tokens), ours (engine loop)`, fmt(g.ours.decodeMs), "ms/token (median gap)"],
    [peer, fmt(g.transformersJs.decodeMs), `ms/token; ours ${g.decodeRatio.toFixed(2)}x as fast, ${tokens}`],
  );
}
const oursOn = (model: string, device: "wasm" | "webgpu") => gen.rows.find((r) => r.model === model && r.device === device)!;
for (const r of gen.reference) {
  const wasm = oursOn(r.model, "wasm").ours;
  rows.push(
    [
      `reference runner (CPU, JS), Chromium, ${r.model} shape, random weights: prefill ${gen.promptTokens}`,
      fmt(r.side.prefillMs),
      `ms, ${tps(r.side.prefillMs)} tokens/s; ONNX wasm ${ratioOfMedians(r.side.prefillMs, wasm.prefillMs).toFixed(2)}x as fast`,
    ],
    [
      `  same, decode (${r.newTokens} tokens)`,
      fmt(r.side.decodeMs),
      `ms/token; ONNX wasm ${ratioOfMedians(r.side.decodeMs, wasm.decodeMs).toFixed(2)}x as fast`,
    ],
  );
}
const real = onnx.real;
if (real) rows.push(...realTableRows(real, gen.transformersJsVersion));
const gguf = await benchGguf();
const mb = (b: number) => (b / 1e6).toFixed(1);
rows.push(
  [
    `GGUF, Node: prefill ${gguf.promptTokens} tokens (wasm SIMD kernels, one thread)`,
    gguf.prefillMs.toFixed(0),
    `ms, ${((gguf.promptTokens * 1000) / gguf.prefillMs).toFixed(1)} tokens/s`,
  ],
  ["GGUF, Node: decode", fmt(gguf.decodeMs), `ms/token, ${(1000 / gguf.decodeMs.median).toFixed(1)} tokens/s`],
);
const gb = await benchGgufBrowser();
if (gb) {
  const tokS = (s: Stats) => `${(1000 / s.median).toFixed(1)} tokens/s`;
  const ttft = (s: Stats) => `${((gb.promptTokens * 1000) / s.median).toFixed(0)} tokens/s`;
  rows.push(
    [`GGUF, Chromium: raw read of the ${mb(gb.fileBytes)} MB file from the Cache API`, fmt(gb.rawReadMs), "ms"],
    [
      "  load it: Cache API → reference runner + tokenizer files",
      fmt(gb.loadMs),
      `ms, ${mb(gb.wasmBytes)} MB of wasm memory after (the file's bytes are the weights)`,
    ],
    ["  then the engine's assembly (tokenizer, template)", fmt(gb.assembleMs), "ms"],
    ["  wllama loadModelFromUrl, same file (once, from its cache)", gb.wllamaLoadMs.toFixed(0), "ms"],
    ["GGUF, Chromium: decode, ours (reference runner, engine loop)", fmt(gb.decode.gguf), `ms/token, ${tokS(gb.decode.gguf)}`],
    ["  same file, @wllama/wllama 3.13.0 (1 thread)", fmt(gb.decode.wllama), `ms/token, ${tokS(gb.decode.wllama)}`],
    ["  same model, our OnnxRunner WASM fp32", fmt(gb.decode.onnx), `ms/token, ${tokS(gb.decode.onnx)}`],
    [
      `GGUF, Chromium: prefill ${gb.promptTokens} tokens, ours`,
      fmt(gb.prefill.gguf),
      `ms to 1st token, ${ttft(gb.prefill.gguf)}`,
    ],
    ["  same, wllama", fmt(gb.prefill.wllama), `ms, ${ttft(gb.prefill.wllama)}`],
    ["  same, OnnxRunner WASM fp32", fmt(gb.prefill.onnx), `ms, ${ttft(gb.prefill.onnx)}`],
  );
}
const vllm = await benchVllmAnchor();
if (vllm) {
  rows.push(
    [
      "anchor: vLLM CPU, same model (float32), decode",
      fmt(vllm.decodeMs),
      `ms/token, ${vllm.tokensPerSecond.toFixed(1)} tokens/s`,
    ],
    [`  same, prefill ${vllm.promptTokens} tokens`, fmt(vllm.prefillMs), "ms to 1st token (HTTP included)"],
  );
}
const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(`${"measure".padEnd(w0)}  ${"median (min..max)".padEnd(w1)}  unit`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
const promptRatio = (target: number) =>
  inBrowser.prompt.reduce((a, b) => (Math.abs(b.tokens - target) < Math.abs(a.tokens - target) ? b : a)).ratio;
const exportGraph = (device: "wasm" | "webgpu") => oursOn("tiny-random-qwen3", device);
const gqaGraph = (device: "wasm" | "webgpu") => oursOn("tiny-random-llama-gqa", device);
const qwenReference = gen.reference.find((r) => r.model === "tiny-random-qwen3")!.side;
/**
 * Higher is better, except top_logprobs_cost (lower is better). onnx_*: transformers.js generate's
 * time / ours (the engine's loop on the OnnxRunner), same model folder and device, on the exported
 * Qwen3 graph (onnx_gqa_*: the GroupQueryAttention Llama graph); onnx_*_vs_reference: the CPU
 * reference runner's time / ours on WASM.
 */
const ratios = {
  transport: inBrowser.ratio,
  prompt_1k: promptRatio(1000),
  prompt_4k: promptRatio(4000),
  prompt_16k: promptRatio(16000),
  incremental_16k: inc.ratio,
  top_logprobs_cost: ratioOfMedians(loop.logprobs20, loop.typical),
  onnx_decode_webgpu: exportGraph("webgpu").decodeRatio,
  onnx_decode_wasm: exportGraph("wasm").decodeRatio,
  onnx_prefill_webgpu: exportGraph("webgpu").prefillRatio,
  onnx_prefill_wasm: exportGraph("wasm").prefillRatio,
  onnx_gqa_decode_webgpu: gqaGraph("webgpu").decodeRatio,
  onnx_gqa_decode_wasm: gqaGraph("wasm").decodeRatio,
  onnx_gqa_prefill_webgpu: gqaGraph("webgpu").prefillRatio,
  onnx_gqa_prefill_wasm: gqaGraph("wasm").prefillRatio,
  onnx_decode_wasm_vs_reference: ratioOfMedians(qwenReference.decodeMs, exportGraph("wasm").ours.decodeMs),
  onnx_prefill_wasm_vs_reference: ratioOfMedians(qwenReference.prefillMs, exportGraph("wasm").ours.prefillMs),
  // The real model (SmolLM2-135M-Instruct): transformers.js time / ours; absent when it is not built.
  ...(real && realRatios(real)),
  /** The one-pass floor (max over the logits) over the sampling loop's time per token (penalties, bias, bad words, top_p). */
  loop_vs_floor: ratioOfMedians(floor, loop.typical),
  /**
   * Chromium, the real model's Q4_1 GGUF, one thread per side (gguf-browser.ts): *_vs_wllama and
   * *_vs_onnx_wasm are the other side's time over ours; load_vs_raw_read a raw Cache API read over
   * the GGUF load; memory_vs_file the file's size over the kernels' wasm memory after the load.
   */
  ...(gb && ggufRatios(gb)),
};
console.log("ratios (ratio of medians, one run):", JSON.stringify(ratios));
mkdirSync(".bench", { recursive: true });
writeFileSync(
  ".bench/results.json",
  JSON.stringify(
    {
      date: new Date().toISOString(),
      ratios,
      floor,
      projection,
      decode,
      prefill,
      loop,
      validation,
      browser: inBrowser,
      onnx,
      gguf,
      ggufBrowser: gb,
      vllmAnchor: vllm,
      sink,
    },
    null,
    2,
  ),
);
console.log(
  `summary: reference runner decodes ${(1000 / decode.median).toFixed(1)} tokens/s; vocab projection ${projection.median.toFixed(2)} ms/token`,
);
