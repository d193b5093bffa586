/**
 * Field-by-field comparison of vLLM's answer and ours. Exact everywhere except: ids and created
 * (random / clock: compared by shape), system_fingerprint (compared by presence; in streams, by
 * which kinds of chunk carry it), and every
 * `logprob` number (within LOGPROB_TOLERANCE: the two float32 CPU forwards sum in different orders),
 * and a `rank` deeper than top_logprobs can list (within rankTolerance: see there).
 */
import type { Outcome } from "./call.js";

/** Absolute tolerance on logprobs (measured differences on the tiny model are ~3e-5). */
export const LOGPROB_TOLERANCE = 1e-4;

/** Ranks up to this (what top_logprobs can list) must be equal. */
export const EXACT_RANKS = 20;

/**
 * How far a deep rank may differ. A rank counts the tokens with a higher logprob; where tens of
 * thousands of tokens sit within a few nats, some lie closer to the token than the two forwards'
 * float differences (~3e-5), and either side may put them above it (seen: a prompt token at rank
 * 103303 in vLLM, 103304 here). Allowed: 0.01% of the rank.
 */
export function rankTolerance(rank: number): number {
  return rank <= EXACT_RANKS ? 0 : Math.ceil(rank * 1e-4);
}

export interface Difference {
  path: string;
  vllm: unknown;
  ours: unknown;
}

/** Keys we send that vLLM does not, on purpose (docs/vllm-compatibility.md, "Kept differences"). */
const OURS_ONLY = new Set(["reasoning_content", "refusal", "prompt_tokens_details"]);

/** Where ours names a more precise param than vLLM (a field inside it, or the field at fault). */
function sameParam(vllm: unknown, ours: unknown): boolean {
  if (vllm === ours) return true;
  if (typeof vllm !== "string" || typeof ours !== "string") return false;
  return ours.startsWith(vllm + ".") || (vllm === "logprobs" && ours === "top_logprobs");
}

/** "chatcmpl-3f9a…" → "chatcmpl-<hex16>": ids compared by form, not value. */
export function idShape(id: unknown): unknown {
  return typeof id === "string" ? id.replace(/[0-9a-f]{8,}/g, (h) => `<hex${h.length}>`) : id;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function diffValues(vllm: unknown, ours: unknown, path = "", out: Difference[] = []): Difference[] {
  const key = path.slice(path.lastIndexOf(".") + 1);
  if (key === "prompt_tokens_details" && vllm == null) {
    // kept: vLLM sends it only with --enable-prompt-tokens-details; ours always says what the prefix cache saved
  } else if (key === "created") {
    if (typeof vllm !== typeof ours) out.push({ path, vllm, ours });
  } else if (key === "id") {
    if (idShape(vllm) !== idShape(ours)) out.push({ path, vllm: idShape(vllm), ours: idShape(ours) });
  } else if (key === "system_fingerprint") {
    if ((vllm == null) !== (ours == null)) out.push({ path, vllm, ours });
  } else if (key === "rank" && typeof vllm === "number" && typeof ours === "number") {
    if (!(Math.abs(vllm - ours) <= rankTolerance(Math.min(vllm, ours)))) out.push({ path, vllm, ours });
  } else if (key === "logprob" && typeof vllm === "number" && typeof ours === "number") {
    if (!(Math.abs(vllm - ours) <= LOGPROB_TOLERANCE)) out.push({ path, vllm, ours });
  } else if (Array.isArray(vllm) && Array.isArray(ours)) {
    if (vllm.length !== ours.length) out.push({ path: path + ".length", vllm: vllm.length, ours: ours.length });
    for (let i = 0; i < Math.min(vllm.length, ours.length); i++) diffValues(vllm[i], ours[i], `${path}[${i}]`, out);
  } else if (isObject(vllm) && isObject(ours)) {
    for (const k of Object.keys(vllm)) {
      if (!(k in ours)) out.push({ path: `${path}.${k}`, vllm: vllm[k], ours: "<missing>" });
      else diffValues(vllm[k], ours[k], `${path}.${k}`, out);
    }
    for (const k of Object.keys(ours))
      if (!(k in vllm) && !OURS_ONLY.has(k)) out.push({ path: `${path}.${k}`, vllm: "<missing>", ours: ours[k] });
  } else if (!Object.is(vllm, ours)) out.push({ path, vllm, ours });
  return out;
}

type Chunk = Record<string, unknown>;
type StreamChoice = { delta?: Record<string, unknown>; logprobs?: { content?: unknown[] } | null } & Record<string, unknown>;

/** Every key path in a value, arrays as [] (what a stream's chunks carry, whatever their split). */
function keyPaths(v: unknown, path: string, out: Set<string>): Set<string> {
  if (Array.isArray(v)) for (const x of v) keyPaths(x, path + "[]", out);
  else if (isObject(v))
    for (const [k, x] of Object.entries(v)) {
      out.add(`${path}.${k}`);
      keyPaths(x, `${path}.${k}`, out);
    }
  return out;
}

/** A chunk's kind, for where a stream puts system_fingerprint: the usage chunk, a finish chunk, or another. */
function chunkKind(chunk: Chunk): string {
  const choices = (chunk.choices as StreamChoice[]) ?? [];
  if (!choices.length) return "usage";
  return choices.some((c) => c.finish_reason != null) ? "finish" : "other";
}

/** What a stream says, independent of where the server cut it into chunks. */
export function streamSummary(chunks: Chunk[]) {
  const choices: Record<string, Record<string, unknown>> = {};
  for (const chunk of chunks)
    for (const c of (chunk.choices as StreamChoice[]) ?? []) {
      const s = (choices[String(c.index)] ??= { content: "", reasoning: "", tool_calls: [], logprobs: [], token_ids: [] });
      const d = c.delta ?? {};
      if (typeof d.content === "string") s.content += d.content;
      if (typeof d.reasoning === "string") s.reasoning += d.reasoning;
      for (const t of (d.tool_calls as { index: number; id?: string; function?: { name?: string; arguments?: string } }[]) ??
        []) {
        const calls = s.tool_calls as { id?: string; name: string; arguments: string }[];
        const call = (calls[t.index] ??= { name: "", arguments: "" });
        if (t.id) call.id = t.id;
        call.name += t.function?.name ?? "";
        call.arguments += t.function?.arguments ?? "";
      }
      (s.logprobs as unknown[]).push(...(c.logprobs?.content ?? []));
      if (Array.isArray(c.token_ids)) (s.token_ids as unknown[]).push(...(c.token_ids as unknown[]));
      if (c.finish_reason != null) s.finish_reason = c.finish_reason;
      if (c.stop_reason != null) s.stop_reason = c.stop_reason;
    }
  return {
    choices,
    usage: chunks.filter((c) => c.usage != null).map((c) => ({ kind: chunkKind(c), usage: c.usage })),
    last_usage: chunks.at(-1)?.usage ?? null,
    fingerprint_on: chunks.filter((c) => c.system_fingerprint != null).map(chunkKind),
    first_role: (chunks[0]?.choices as StreamChoice[] | undefined)?.[0]?.delta?.role ?? null,
    prompt_token_ids: chunks.find((c) => c.prompt_token_ids != null)?.prompt_token_ids ?? null,
    keys: [...keyPaths(chunks, "", new Set())].sort(),
  };
}

type Step = ReturnType<typeof streamSummary>["usage"][number];

/**
 * Per-chunk usage (continuous_usage_stats: where the chunks are cut). vLLM sends a chunk per engine
 * step, but merges steps when its client reads slower than the model writes, so ours may have more
 * chunks: each extra one must count fewer tokens than vLLM's next (a step vLLM merged into it).
 */
function sameSteps(vllm: Step[], ours: Step[]): Difference | null {
  const count = (s: Step) => (s.usage as { completion_tokens?: number }).completion_tokens ?? 0;
  const same = (a: Step, b: Step) => a.kind === b.kind && !diffValues(a.usage, b.usage).length;
  let j = 0;
  let matched = 0;
  for (const v of vllm) {
    while (j < ours.length && !same(v, ours[j]!) && count(ours[j]!) < count(v)) j++;
    if (j >= ours.length || !same(v, ours[j]!)) break;
    j++;
    matched++;
  }
  if (matched === vllm.length && j === ours.length) return null;
  const show = (steps: Step[]) => steps.map((s) => `${s.kind}:${count(s)}`).join(" ");
  return { path: "usage per chunk", vllm: show(vllm), ours: show(ours) };
}

/** Differences between two outcomes of the same request. */
export function diffOutcomes(vllm: Outcome, ours: Outcome): Difference[] {
  if (vllm.kind !== ours.kind)
    return [{ path: "kind", vllm: vllm.kind === "error" ? vllm : vllm.kind, ours: ours.kind === "error" ? ours : ours.kind }];
  if (vllm.kind === "error" && ours.kind === "error") {
    const out: Difference[] = [];
    if (vllm.status !== ours.status) out.push({ path: "status", vllm: vllm, ours: ours });
    if (vllm.param != null && !sameParam(vllm.param, ours.param)) out.push({ path: "param", vllm: vllm, ours: ours });
    return out;
  }
  if (vllm.kind === "stream" && ours.kind === "stream") {
    const v = streamSummary(vllm.chunks);
    const o = streamSummary(ours.chunks);
    const out = diffValues({ ...v, keys: undefined, usage: undefined }, { ...o, keys: undefined, usage: undefined });
    const steps = sameSteps(v.usage, o.usage);
    if (steps) out.push(steps);
    const missing = v.keys.filter((k) => !o.keys.includes(k) && !OURS_ONLY.has(k.slice(k.lastIndexOf(".") + 1)));
    if (missing.length) out.push({ path: "chunk keys", vllm: missing, ours: "<missing>" });
    return out;
  }
  return diffValues((vllm as { body: unknown }).body, (ours as { body: unknown }).body);
}
