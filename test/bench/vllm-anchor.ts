/**
 * An anchor, not a ratio: vLLM on the CPU serving the same model (float32 safetensors) at
 * VLLM_ANCHOR_URL (default http://127.0.0.1:7301, model smollm2-135m-instruct): greedy streamed
 * completions, EOS ignored; decode is the median gap between streamed tokens, prefill the time to
 * the first token of a 512-word prompt (HTTP and the server's scheduling included). Null when no
 * server answers.
 */
import { fromRuns, type Stats } from "./stats.js";

const URL_BASE = process.env.VLLM_ANCHOR_URL ?? "http://127.0.0.1:7301";
const MODEL = process.env.VLLM_ANCHOR_MODEL ?? "smollm2-135m-instruct";
const KEY = process.env.VLLM_ANCHOR_KEY ?? "sk-vllm-test";
const WORDS = ["the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "it", "big", "red", "house", "in", "town"];

export interface VllmAnchor {
  decodeMs: Stats;
  tokensPerSecond: number;
  prefillMs: Stats;
  promptTokens: number;
}

async function stamps(prompt: string, maxTokens: number): Promise<{ stamps: number[]; promptTokens: number }> {
  const t0 = performance.now();
  const res = await fetch(`${URL_BASE}/v1/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
    body: JSON.stringify({
      model: MODEL,
      prompt,
      max_tokens: maxTokens,
      temperature: 0,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!res.ok || !res.body) throw new Error(`vLLM answered ${res.status}`);
  const out: number[] = [];
  let promptTokens = 0;
  const decoder = new TextDecoder();
  let buf = "";
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(part, { stream: true });
    const lines = buf.split("\n");
    buf = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith("data: {")) continue;
      const ev = JSON.parse(line.slice(6)) as { choices: { text: string }[]; usage?: { prompt_tokens: number } | null };
      if (ev.choices.length) out.push(performance.now() - t0);
      if (ev.usage) promptTokens = ev.usage.prompt_tokens;
    }
  }
  return { stamps: out, promptTokens };
}

const text = (n: number, run: number) =>
  [`Story${run}:`, ...Array.from({ length: n - 1 }, (_, i) => WORDS[(i * 7 + run) % WORDS.length])].join(" ");

export async function benchVllmAnchor(runs = 5): Promise<VllmAnchor | null> {
  try {
    await stamps(text(8, 99), 2);
  } catch {
    console.log(`no vLLM at ${URL_BASE}: no anchor row`);
    return null;
  }
  const gaps: number[] = [];
  const ttft: number[] = [];
  let promptTokens = 0;
  for (let r = 0; r < runs; r++) {
    const d = (await stamps(text(32, r), 65)).stamps;
    const g = d.slice(1).map((t, i) => t - d[i]!);
    gaps.push([...g].sort((a, b) => a - b)[Math.floor(g.length / 2)]!);
    const p = await stamps(text(512, r), 1);
    ttft.push(p.stamps[0]!);
    promptTokens = p.promptTokens;
  }
  const decodeMs = fromRuns(gaps);
  return { decodeMs, tokensPerSecond: 1000 / decodeMs.median, prefillMs: fromRuns(ttft), promptTokens };
}
