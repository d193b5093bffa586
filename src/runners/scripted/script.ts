/**
 * What a scripted model answers: a list of replies. A reply with `when` answers any request whose
 * last message contains that text; the others answer by turn (the first request of a conversation
 * gets the first of them, a request with one earlier assistant message the second, ...).
 */
export interface ScriptedToolCall {
  name: string;
  /** An object, or its JSON text. */
  arguments: Record<string, unknown> | string;
}

export interface ScriptedReply {
  /** Answer requests whose last message contains this text (any turn). */
  when?: string;
  /** Text inside <think>...</think> before the answer (reaches `reasoning_content`). */
  reasoning?: string;
  content?: string;
  /** Calls written in the model's own syntax, so they come back as `tool_calls`. */
  toolCalls?: ScriptedToolCall[];
}

export type ModelScript = ScriptedReply[];

const REPLY_KEYS = new Set(["when", "reasoning", "content", "toolCalls"]);

/** Why a script is unusable (its dotted path and the reason), or null when it is fine. */
export function scriptProblem(script: unknown): { path: string; message: string } | null {
  if (!Array.isArray(script) || script.length === 0) return { path: "", message: "must be a non-empty array of replies" };
  for (const [i, r] of script.entries()) {
    const at = (k: string) => `${i}${k ? "." + k : ""}`;
    if (typeof r !== "object" || r === null || Array.isArray(r)) return { path: at(""), message: "must be an object" };
    const reply = r as Record<string, unknown>;
    for (const k of Object.keys(reply)) {
      if (!REPLY_KEYS.has(k)) return { path: at(k), message: `unknown field (known: ${[...REPLY_KEYS].join(", ")})` };
    }
    for (const k of ["when", "reasoning", "content"]) {
      if (reply[k] !== undefined && typeof reply[k] !== "string") return { path: at(k), message: "must be a string" };
    }
    if (reply.content === undefined && reply.reasoning === undefined && reply.toolCalls === undefined) {
      return { path: at(""), message: "needs content, reasoning or toolCalls" };
    }
    if (reply.toolCalls === undefined) continue;
    if (!Array.isArray(reply.toolCalls)) return { path: at("toolCalls"), message: "must be an array" };
    for (const [j, c] of (reply.toolCalls as unknown[]).entries()) {
      const call = c as Partial<ScriptedToolCall> | null;
      if (typeof call?.name !== "string" || !call.name)
        return { path: at(`toolCalls.${j}.name`), message: "must be a non-empty string" };
      if (typeof call.arguments === "string") {
        try {
          if (typeof JSON.parse(call.arguments) !== "object") throw new Error();
        } catch {
          return { path: at(`toolCalls.${j}.arguments`), message: "must be a JSON object's text" };
        }
      } else if (typeof call.arguments !== "object" || call.arguments === null || Array.isArray(call.arguments)) {
        return { path: at(`toolCalls.${j}.arguments`), message: "must be an object or its JSON text" };
      }
    }
  }
  return null;
}

/** The text a Qwen3-style (Hermes tool calls, <think>) model writes for a reply, before its end token. */
export function replyText(reply: ScriptedReply): { reasoning: string | null; answer: string } {
  const calls = (reply.toolCalls ?? []).map((c) => {
    const args: unknown = typeof c.arguments === "string" ? JSON.parse(c.arguments) : c.arguments;
    return `<tool_call>\n${JSON.stringify({ name: c.name, arguments: args })}\n</tool_call>`;
  });
  const parts = [reply.content ?? "", ...calls].filter((p) => p !== "");
  return { reasoning: reply.reasoning ?? null, answer: parts.join("\n") };
}
