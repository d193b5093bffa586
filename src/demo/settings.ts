/** The settings form as request fields: only what differs from the engine's defaults is sent. */
import type { ChatCompletionRequest } from "../index.js";

export type RequestFields = Omit<ChatCompletionRequest, "messages" | "model">;

const NUMBERS = [
  "temperature",
  "top_p",
  "top_k",
  "min_p",
  "max_tokens",
  "presence_penalty",
  "frequency_penalty",
  "repetition_penalty",
  "seed",
  "n",
] as const;

export function readSettings(form: HTMLFormElement, opts: { logprobs: boolean; tools: boolean }): RequestFields {
  const data = new FormData(form);
  const out: Record<string, unknown> = { stream: true, stream_options: { include_usage: true } };
  for (const name of NUMBERS) {
    const raw = String(data.get(name) ?? "").trim();
    if (raw !== "") out[name] = Number(raw);
  }
  const stop = String(data.get("stop") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (stop.length) out.stop = stop;
  if (opts.logprobs) Object.assign(out, { logprobs: true, top_logprobs: 5 });
  if (opts.tools) out.tool_choice = String(data.get("tool_choice"));
  const reasoning = String(data.get("reasoning") ?? "");
  if (reasoning) out.chat_template_kwargs = { enable_thinking: reasoning === "on" };
  Object.assign(out, formatFields(String(data.get("format")), String(data.get("format_spec") ?? "")));
  return out as RequestFields;
}

function formatFields(format: string, spec: string): Record<string, unknown> {
  switch (format) {
    case "json_object":
      return { response_format: { type: "json_object" } };
    case "json_schema": {
      let schema: unknown = { type: "object" };
      try {
        if (spec.trim()) schema = JSON.parse(spec);
      } catch {
        // Sent as text: the engine answers with the exact JSON error.
        return { structured_outputs: { json: spec } };
      }
      return { response_format: { type: "json_schema", json_schema: { name: "demo", schema } } };
    }
    case "regex":
      return { structured_outputs: { regex: spec.trim() || "[A-Z][a-z]+" } };
    case "choice":
      return {
        structured_outputs: {
          choice: spec
            .split("\n")
            .map((s) => s.trim())
            .filter(Boolean),
        },
      };
    default:
      return {};
  }
}
