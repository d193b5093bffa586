import type { Backend } from "../../backends/backend.js";
import { ApiError } from "../../protocol/errors.js";
import { planErrors } from "../../protocol/index.js";
import {
  chatCompletionChunkSchema,
  chatCompletionSchema,
  type ChatCompletion,
  type ChatCompletionChunk,
} from "../../protocol/response.js";
import { RemoteCall } from "./call.js";
import { badResponse, networkError, responseError, streamErrorEvent } from "./errors.js";
import { DEFAULT_REMOTE_TIMEOUT_MS, type RemoteRecord } from "./record.js";
import { sseData } from "./sse.js";
import type { z } from "zod";

type Body = Record<string, unknown>;

/** A model a server lists at GET /models: its served name and, when it says, its window. */
export interface ServedModel {
  id: string;
  max_model_len?: number;
}

/**
 * A model on a remote OpenAI-compatible server (vLLM) behind the Backend seam: requests go out
 * with the served model name, responses and chunks come back checked against the engine's own
 * response schemas and otherwise untouched (vLLM's extra fields kept), `model` set to the page's id.
 */
export class RemoteBackend implements Backend {
  /** Requests in flight by request_id, for cancel(). */
  private readonly active = new Map<string, RemoteCall>();
  readonly origin: string;

  /** `record` must come from parseRemoteRecord; `maxModelLen` is the server's, when known. */
  constructor(
    private readonly record: RemoteRecord,
    private readonly maxModelLen?: number,
  ) {
    this.origin = new URL(record.base_url).origin;
  }

  /** Connect: check the server answers, accepts the key and serves the model; learn its window. */
  static async connect(record: RemoteRecord): Promise<RemoteBackend> {
    const list = await RemoteBackend.served(record);
    const served = record.model ?? record.model_id;
    const card = list.find((m) => m.id === served);
    if (!card)
      throw new ApiError({
        type: "not_found_error",
        message: `${new URL(record.base_url).origin} does not serve "${served}"; it serves ${list.map((m) => JSON.stringify(m.id)).join(", ") || "nothing"}. Set the record's model to one of them.`,
        param: "model",
        code: "model_not_found",
      });
    return new RemoteBackend(record, card.max_model_len);
  }

  /** The models the server lists (GET /models), with the key and headers of `record`. */
  static async served(record: RemoteRecord): Promise<ServedModel[]> {
    const probe = new RemoteBackend(record);
    const call = probe.call();
    try {
      const res = await probe.send("GET", "/models", undefined, call);
      const list = (await res.json().catch(() => null)) as { data?: { id?: unknown; max_model_len?: unknown }[] } | null;
      if (!Array.isArray(list?.data)) throw badResponse(probe.origin, "GET /models did not list models");
      return list.data
        .filter((m): m is { id: string; max_model_len?: unknown } => typeof m?.id === "string")
        .map((m) => ({ id: m.id, ...(typeof m.max_model_len === "number" && { max_model_len: m.max_model_len }) }));
    } catch (e) {
      throw call.failure(e, false);
    } finally {
      call.close();
    }
  }

  private get servedName(): string {
    return this.record.model ?? this.record.model_id;
  }

  modelIds(): string[] {
    return [this.record.model_id];
  }

  contextWindow(id: string): number | undefined {
    return id === this.record.model_id ? (this.record.context_window ?? this.maxModelLen) : undefined;
  }

  cancel(requestId: string): boolean {
    const call = this.active.get(requestId);
    call?.abort(planErrors.requestCancelled(requestId));
    return Boolean(call);
  }

  async dispose(): Promise<void> {
    for (const call of this.active.values()) call.close();
    this.active.clear();
  }

  async create(body: unknown, signal?: AbortSignal): Promise<ChatCompletion> {
    const { payload, requestId } = this.prepare(body, false);
    const call = this.call(signal, requestId);
    try {
      const res = await this.send("POST", "/chat/completions", payload, call);
      const raw = await res.text();
      return this.checked(chatCompletionSchema, parseJson(raw, this.origin), "chat.completion");
    } catch (e) {
      throw call.failure(e, false);
    } finally {
      this.release(requestId, call);
    }
  }

  async stream(body: unknown, signal?: AbortSignal): Promise<AsyncGenerator<ChatCompletionChunk>> {
    const { payload, requestId } = this.prepare(body, true);
    const call = this.call(signal, requestId);
    try {
      const res = await this.send("POST", "/chat/completions", payload, call);
      if (!res.body) throw badResponse(this.origin, "the stream has no body");
      return this.chunks(res.body, call, requestId, typeof payload.n === "number" ? payload.n : 1);
    } catch (e) {
      const error = call.failure(e, false);
      this.release(requestId, call); // after: releasing aborts the call
      throw error;
    }
  }

  private async *chunks(
    body: ReadableStream<Uint8Array>,
    call: RemoteCall,
    requestId: string | undefined,
    n: number,
  ): AsyncGenerator<ChatCompletionChunk> {
    const open = new Set(Array.from({ length: n }, (_, i) => i));
    let last: ChatCompletionChunk | undefined;
    try {
      for await (const data of sseData(body, call.touch)) {
        if (data === "[DONE]") return;
        const event = parseJson(data, this.origin);
        if (typeof event === "object" && event !== null && "error" in event)
          throw streamErrorEvent(event as Record<string, unknown>, this.origin);
        const chunk = this.checked(chatCompletionChunkSchema, event, "chat.completion.chunk");
        for (const c of chunk.choices) if (c.finish_reason) open.delete(c.index);
        last = chunk;
        yield chunk;
      }
      throw networkError(new Error("the stream ended without [DONE]"), this.origin, true);
    } catch (e) {
      if (!call.stopped) throw call.failure(e, true);
      // Aborted or cancelled: end every open choice as "abort", as the in-page engine does.
      const id = last?.id ?? `chatcmpl-${crypto.randomUUID().replaceAll("-", "")}`;
      const created = last?.created ?? Math.floor(Date.now() / 1000);
      for (const index of open)
        yield {
          id,
          object: "chat.completion.chunk",
          created,
          model: this.record.model_id,
          choices: [{ index, delta: {}, logprobs: null, finish_reason: "abort", stop_reason: null }],
        };
    } finally {
      this.release(requestId, call);
    }
  }

  /** The body to send: the served model name; request_id checked free here. */
  private prepare(body: unknown, stream: boolean): { payload: Body; requestId?: string } {
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw ApiError.invalid(null, "The request body must be a JSON object.", "invalid_type");
    const requestId = typeof (body as Body).request_id === "string" ? ((body as Body).request_id as string) : undefined;
    if (requestId && this.active.has(requestId)) throw planErrors.duplicateRequestId(requestId);
    return { payload: { ...(body as Body), model: this.servedName, stream }, requestId };
  }

  private call(signal?: AbortSignal, requestId?: string): RemoteCall {
    const call = new RemoteCall(this.origin, this.record.timeout_ms ?? DEFAULT_REMOTE_TIMEOUT_MS, signal);
    if (requestId) this.active.set(requestId, call);
    return call;
  }

  private release(requestId: string | undefined, call: RemoteCall): void {
    call.close();
    if (requestId && this.active.get(requestId) === call) this.active.delete(requestId);
  }

  /** One request to the server; an error status becomes its ApiError. The key goes to base_url only. */
  private async send(method: "GET" | "POST", path: string, payload: Body | undefined, call: RemoteCall): Promise<Response> {
    const headers: Record<string, string> = { accept: payload?.stream ? "text/event-stream" : "application/json" };
    if (payload) headers["content-type"] = "application/json";
    if (this.record.api_key) headers.authorization = `Bearer ${this.record.api_key}`;
    Object.assign(headers, this.record.headers);
    const init: RequestInit = {
      method,
      headers,
      body: payload ? JSON.stringify(payload) : undefined,
      signal: call.signal,
      // A redirect could carry the key elsewhere: refuse it.
      redirect: "error",
    };
    // Once more on a fresh connection when no response came: a pooled keep-alive connection the
    // server closed meanwhile (after a restart or a pause) fails the first try. Browsers do this themselves.
    const res = await fetch(this.record.base_url + path, init).catch((e: unknown) => {
      if (call.signal.aborted) throw e;
      return fetch(this.record.base_url + path, init);
    });
    call.touch();
    if (!res.ok) throw await responseError(res, this.origin);
    return res;
  }

  /**
   * `value` checked with the engine's own schema, then passed on as the server sent it (the parsed
   * copy would drop fields the schema does not name), with `model` the page's id.
   */
  private checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badResponse(this.origin, `not a ${what} (${issue.path.join(".") || "body"}: ${issue.message})`);
    }
    return { ...(value as T), model: this.record.model_id };
  }
}

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badResponse(origin, `not JSON (${JSON.stringify(text.slice(0, 80))})`);
  }
}
