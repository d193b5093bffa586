import { ApiError } from "../protocol/errors.js";
import type { ChatCompletionRequest } from "../protocol/request.js";
import type { ChatCompletionChunk } from "../protocol/response.js";
import { fallbackEvent, requestFallsBack, type FallbackEvent } from "./fallback.js";
import { ChatStream } from "./stream.js";

export interface StreamFallback {
  /** The local model's stream, already started. */
  first: ChatStream;
  req: ChatCompletionRequest;
  from: string;
  to: string;
  /** Opens a stream for a request (the engine's send, with the app's signal). */
  open: (req: ChatCompletionRequest, signal: AbortSignal) => Promise<ChatStream>;
  onFallback?: (e: FallbackEvent) => void;
}

/** What the local model said before it failed (one choice: n > 1 is not continued), and how it got there. */
class Partial {
  id: string | undefined;
  content = "";
  reasoning = "";
  tokens = 0;
  chunks = 0;
  /** Why this answer cannot be continued elsewhere, if it cannot. */
  blocker: string | undefined;

  add(c: ChatCompletionChunk): void {
    this.id ??= c.id;
    for (const choice of c.choices) {
      const d = choice.delta;
      const text = (d.content ?? "") + (d.reasoning ?? d.reasoning_content ?? "");
      if (d.tool_calls?.length) this.blocker = "it was writing a tool call";
      this.content += d.content ?? "";
      this.reasoning += d.reasoning ?? d.reasoning_content ?? "";
      // A token whose text is held back (part of a character) comes as a chunk with ids but no text.
      this.tokens += choice.token_ids?.length ?? choice.logprobs?.content?.length ?? (text ? 1 : 0);
      if (text) this.chunks++;
    }
  }

  get started(): boolean {
    return this.chunks > 0 || this.blocker !== undefined;
  }

  describe(): string {
    return `${this.content.length + this.reasoning.length} characters in ${this.chunks} chunks`;
  }
}

/**
 * The local stream, and when it fails mid-way for a reason the fallback can serve (a lost GPU
 * device), the rest of the answer from the fallback model on the same stream: the conversation
 * plus the partial answer, sent with vLLM's `continue_final_message`. If that cannot be done or the
 * fallback refuses, the stream fails with a typed error saying how much text had arrived.
 */
export function streamWithFallback(o: StreamFallback): ChatStream {
  const out = new ChatStream();
  out.controller.signal.addEventListener("abort", () => o.first.controller.abort(), { once: true });
  void pump(o, out);
  return out;
}

async function pump(o: StreamFallback, out: ChatStream): Promise<void> {
  const partial = new Partial();
  try {
    for await (const c of o.first) {
      partial.add(c);
      await out.push([c]);
    }
    return out.end();
  } catch (e) {
    if (out.controller.signal.aborted || !requestFallsBack(e)) return out.end(e);
    try {
      await continueFrom(o, out, partial, e);
      out.end();
    } catch (late) {
      out.end(late);
    }
  }
}

async function continueFrom(o: StreamFallback, out: ChatStream, partial: Partial, e: ApiError): Promise<void> {
  const failed = (why: string, cause?: unknown) =>
    new ApiError({
      type: "service_unavailable_error",
      message: `The model "${o.from}" failed mid-answer (${e.code ?? e.type}) after ${partial.describe()}; ${why}${cause instanceof Error ? `: ${cause.message}` : "."}`,
      code: "stream_fallback_failed",
    });
  if ((o.req.n ?? 1) > 1) partial.blocker = "it asked for several choices (n > 1)";
  if (partial.blocker) throw failed(`it cannot be continued on "${o.to}" because ${partial.blocker}`);
  if (partial.started && !partial.content)
    throw failed(`only reasoning had arrived, which "${o.to}" cannot be asked to continue`);
  o.onFallback?.(fallbackEvent(o.from, o.to, e));
  let next: ChatStream;
  try {
    next = await o.open(partial.started ? continuation(o.req, o.to, partial) : { ...o.req, model: o.to }, out.controller.signal);
  } catch (refused) {
    throw failed(`continuing it on "${o.to}" failed`, refused);
  }
  // Once the page has seen a chunk, the rest is the same answer: its id, no second opening role.
  const id = partial.id;
  try {
    for await (const c of next) {
      const chunk = id === undefined ? c : continued(c, id, partial.started);
      if (chunk) await out.push([chunk]);
    }
  } catch (late) {
    throw failed(`"${o.to}" then failed too`, late);
  }
}

/** The request for the rest: the answer so far as the last assistant message, continued, not restarted. */
function continuation(req: ChatCompletionRequest, to: string, partial: Partial): ChatCompletionRequest {
  const left = (max: number | null | undefined) => (typeof max === "number" ? Math.max(1, max - partial.tokens) : max);
  return {
    ...req,
    model: to,
    messages: [...req.messages, { role: "assistant", content: partial.content }],
    continue_final_message: true,
    add_generation_prompt: false,
    ...(req.max_tokens != null && { max_tokens: left(req.max_tokens) }),
    ...(req.max_completion_tokens != null && { max_completion_tokens: left(req.max_completion_tokens) }),
  };
}

/**
 * A fallback chunk as part of the first answer: its id, no second role-only opening chunk; for a
 * continuation, text as content (the answer was past reasoning; the fallback's reasoning parser
 * cannot see that), while a restart (no text had arrived) keeps its reasoning as reasoning.
 */
function continued(c: ChatCompletionChunk, id: string, asContent: boolean): ChatCompletionChunk | undefined {
  const choices = c.choices.map((choice) => {
    const delta = { ...choice.delta };
    delete delta.role;
    if (!asContent) return { ...choice, delta };
    const { reasoning, reasoning_content, ...rest } = delta;
    const text = (rest.content ?? "") + (reasoning ?? reasoning_content ?? "");
    return { ...choice, delta: { ...rest, ...(text && { content: text }) } };
  });
  const empty = choices.every(
    (x) =>
      !x.delta.content &&
      !x.delta.reasoning &&
      !x.delta.reasoning_content &&
      !x.delta.tool_calls?.length &&
      !x.finish_reason &&
      !x.logprobs &&
      !x.token_ids?.length,
  );
  if (empty && !c.usage) return undefined;
  return { ...c, id, choices };
}
