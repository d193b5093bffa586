/** One turn of the conversation: stream the answer into the transcript, run tool calls, continue. */
import type { ChatEngine, ChatMessage, CompletionUsage } from "../index.js";
import type { RequestFields } from "./settings.js";
import { DEMO_TOOLS, runTool } from "./tools.js";
import type { Transcript } from "./transcript.js";

/** Tool rounds in one turn before the app stops asking (a model may keep calling). */
const MAX_TOOL_ROUNDS = 3;

interface Call {
  id: string;
  name: string;
  arguments: string;
}

export interface TurnOptions {
  engine: ChatEngine;
  transcript: Transcript;
  /** The conversation so far; the turn appends the assistant and tool messages. */
  history: ChatMessage[];
  system: string;
  fields: RequestFields;
  tools: boolean;
  signal: AbortSignal;
}

/** The exact request body the app sends for the conversation so far. */
export function requestBody(o: Pick<TurnOptions, "history" | "system" | "fields" | "tools">): Record<string, unknown> {
  const messages: ChatMessage[] = o.system.trim() ? [{ role: "system", content: o.system }, ...o.history] : [...o.history];
  return { messages, ...o.fields, ...(o.tools && { tools: DEMO_TOOLS }) };
}

export async function runTurn(o: TurnOptions): Promise<void> {
  let fields = o.fields;
  for (let round = 0; round <= MAX_TOOL_ROUNDS; round++) {
    const calls = await streamAnswer({ ...o, fields });
    if (!calls.length || o.signal.aborted) return;
    for (const call of calls) {
      const result = runTool(call.name, call.arguments);
      o.transcript.tool(`${call.name}(${call.arguments}) → ${result}`);
      o.history.push({ role: "tool", tool_call_id: call.id, content: result });
    }
    // The tools have answered: let the model reply in words now.
    fields = { ...fields, tool_choice: "auto" };
  }
}

async function streamAnswer(o: TurnOptions): Promise<Call[]> {
  const view = o.transcript.answer();
  const t0 = performance.now();
  let firstAt = 0;
  let content = "";
  let finish: string | null = null;
  let usage: CompletionUsage | null | undefined;
  let model = "";
  const calls: Call[] = [];
  try {
    const body = requestBody(o) as Parameters<ChatEngine["chat"]["completions"]["create"]>[0];
    const stream = await o.engine.chat.completions.create({ ...body, stream: true }, { signal: o.signal });
    for await (const chunk of stream) {
      usage = chunk.usage ?? usage;
      model = chunk.model; // the model that answers: a fallback takes over mid-answer under its own name
      const c = chunk.choices.find((x) => x.index === 0);
      if (!c) continue;
      const d = c.delta;
      // vLLM 0.32 names it `reasoning`, the engine `reasoning_content`: a remote model sends the former.
      const reasoning = d.reasoning_content ?? d.reasoning;
      if (!firstAt && (d.content || reasoning || d.tool_calls)) firstAt = performance.now();
      if (reasoning) view.reasoning(reasoning);
      // A chunk can carry the logprobs of a token that ends inside a character with no text yet.
      const lps = c.logprobs?.content ?? null;
      if (d.content || lps?.length) {
        content += d.content ?? "";
        view.append(d.content ?? "", lps);
      }
      for (const t of d.tool_calls ?? []) {
        if (t.id) calls[t.index] = { id: t.id, name: t.function?.name ?? "", arguments: "" };
        calls[t.index]!.arguments += t.function?.arguments ?? "";
      }
      finish = c.finish_reason ?? finish;
    }
  } catch (e) {
    if ((e as Error).name !== "AbortError") {
      view.stats(`Error: ${(e as Error).message}`);
      throw e;
    }
    finish = "abort";
  }
  o.history.push({
    role: "assistant",
    content: content || null,
    ...(calls.length && {
      tool_calls: calls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: c.arguments } })),
    }),
  });
  for (const c of calls) view.append(`\n→ ${c.name}(${c.arguments})`, null);
  view.stats(statsLine(t0, firstAt, usage, finish) + (model ? ` · answered by ${model}` : ""));
  return finish === "tool_calls" ? calls : [];
}

function statsLine(t0: number, firstAt: number, usage: CompletionUsage | null | undefined, finish: string | null): string {
  const end = performance.now();
  const parts = [`finish: ${finish ?? "?"}`];
  if (firstAt) parts.push(`first token after ${(firstAt - t0).toFixed(0)} ms`);
  if (usage) {
    const tps = usage.completion_tokens && firstAt ? ((usage.completion_tokens * 1000) / (end - t0)).toFixed(1) : "0";
    parts.push(
      `${usage.completion_tokens} tokens, ${tps} tokens/s`,
      `prompt ${usage.prompt_tokens} tokens (${usage.prompt_tokens_details?.cached_tokens ?? 0} cached)`,
    );
  }
  return parts.join(" · ");
}
