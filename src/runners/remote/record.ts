import { z } from "zod";
import { ApiError } from "../../protocol/errors.js";

/** How long a remote server may stay silent (no response, no stream bytes) before the request fails. */
export const DEFAULT_REMOTE_TIMEOUT_MS = 120_000;

/**
 * A model served by a remote OpenAI-compatible server (vLLM, …). `model_id` is the id the page
 * uses; `model` the server's served name (default: `model_id`). The key is only ever sent to
 * `base_url`'s origin.
 */
export const remoteRecordSchema = z.strictObject({
  model_id: z.string().min(1),
  runner: z.literal("remote"),
  /** The server's API root, e.g. "https://llm.example.com/v1" (relative URLs resolve against the page). */
  base_url: z.string().min(1),
  /** Sent as `Authorization: Bearer <api_key>` (vLLM --api-key). Not for secret keys in a public page. */
  api_key: z.string().min(1).optional(),
  /** Extra request headers (a proxy's own auth, routing). */
  headers: z.record(z.string(), z.string()).optional(),
  /** The served model name on the server. */
  model: z.string().min(1).optional(),
  /** The context window models.list reports; default: the server's max_model_len. */
  context_window: z.number().int().positive().optional(),
  /** Longest silence (ms) before a request fails with a timeout; default 120000. */
  timeout_ms: z.number().int().positive().optional(),
});

export type RemoteRecord = z.infer<typeof remoteRecordSchema>;

/** The record, checked, with `base_url` absolute (against `pageUrl` when relative) and no trailing slash. */
export function parseRemoteRecord(spec: unknown, pageUrl?: string): RemoteRecord {
  const parsed = remoteRecordSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = ["model", ...issue.path.map(String)].join(".");
    throw ApiError.invalid(path, `Remote model record: ${path} ${issue.message}.`, "invalid_model_record");
  }
  const record = parsed.data;
  let url: URL;
  try {
    url = new URL(record.base_url, pageUrl);
  } catch {
    throw ApiError.invalid(
      "model.base_url",
      `base_url "${record.base_url}" is not a URL; give the server's API root, e.g. "http://127.0.0.1:8000/v1".`,
      "invalid_model_record",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw ApiError.invalid("model.base_url", `base_url must be http(s), got "${url.protocol}".`, "invalid_model_record");
  if (url.username || url.password)
    throw ApiError.invalid(
      "model.base_url",
      "base_url must not carry credentials; pass the key as api_key (or a header) instead.",
      "invalid_model_record",
    );
  return { ...record, base_url: url.href.replace(/\/+$/, "") };
}
