import { ApiError, toApiError } from "../protocol/errors.js";
import { bodyTooLarge } from "../protocol/limits.js";
import type { ChatCompletionRequest } from "../protocol/request.js";
import type { ChatCompletion, ChatCompletionChunk } from "../protocol/response.js";

/** What handleFetch uses of the engine (its OpenAI surface), named here so this module needs not import it. */
export interface FetchTarget {
  readonly limits: { readonly maxBodyBytes: number };
  readonly models: { list(): Promise<unknown>; retrieve(id: string): Promise<unknown> };
  readonly chat: {
    completions: {
      create(
        req: ChatCompletionRequest & { stream: true },
        opts: { signal: AbortSignal },
      ): Promise<AsyncIterable<ChatCompletionChunk>>;
      create(req: ChatCompletionRequest & { stream?: false | null }, opts: { signal: AbortSignal }): Promise<ChatCompletion>;
    };
  };
}

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * The engine as an OpenAI-compatible HTTP server, for clients that take a `fetch` (the openai npm
 * package, the Vercel AI SDK, LangChain): POST …/chat/completions answers JSON or, with
 * `stream: true`, server-sent events exactly as vLLM sends them; GET …/models lists the models.
 */
export async function handleFetch(
  engine: FetchTarget,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  apiKey: string | undefined,
): Promise<Response> {
  const request = new Request(input, init);
  const signal = request.signal; // follows init.signal, or the signal of a Request passed in
  signal.throwIfAborted();
  try {
    if (apiKey !== undefined && request.headers.get("authorization") !== `Bearer ${apiKey}`) {
      throw new ApiError({
        type: "authentication_error",
        message: "Missing or wrong API key: send the header Authorization: Bearer <apiKey> configured in createEngine.",
        code: "invalid_api_key",
      });
    }
    const path = new URL(request.url, globalThis.location?.href).pathname.replace(/\/+$/, "");
    const route = /\/chat\/completions$/.test(path)
      ? "chat"
      : /\/models$/.test(path)
        ? "models"
        : /\/models\/[^/]+$/.test(path)
          ? "model"
          : null;
    if (!route)
      throw new ApiError({
        type: "not_found_error",
        message: `No route ${request.method} ${path}: this engine serves POST /v1/chat/completions and GET /v1/models.`,
        code: "unknown_route",
      });
    const want = route === "chat" ? "POST" : "GET";
    if (request.method !== want)
      throw new ApiError({
        type: "not_found_error",
        message: `${path} takes ${want}, not ${request.method}.`,
        code: "method_not_allowed",
      });
    if (route === "models") return json(await engine.models.list());
    if (route === "model") return json(await engine.models.retrieve(decodeURIComponent(path.split("/").pop()!)));
    const body = await readJson(request, engine.limits.maxBodyBytes);
    if (isStreaming(body)) return await sse(engine, body, signal);
    const completion = await engine.chat.completions.create(body as ChatCompletionRequest & { stream?: false }, { signal });
    signal.throwIfAborted(); // the engine answers an aborted request with finish_reason "abort"; fetch rejects
    return json(completion);
  } catch (e) {
    // Like fetch itself, an aborted call rejects with the signal's reason instead of answering.
    if (signal.aborted) throw signal.reason;
    const err = toApiError(e);
    // As the header too, so a client's own retry logic (the openai package's) waits as the server asked.
    return json(err.toJSON(), err.status, err.retryAfter === undefined ? {} : { "retry-after": String(err.retryAfter) });
  }
}

function isStreaming(body: unknown): body is ChatCompletionRequest & { stream: true } {
  return typeof body === "object" && body !== null && (body as { stream?: unknown }).stream === true;
}

/** The body as JSON; past `maxBytes` a 413, from Content-Length when sent (nothing read) or from the bytes. */
async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > maxBytes) throw bodyTooLarge(declared, maxBytes);
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > maxBytes) throw bodyTooLarge(bytes.byteLength, maxBytes);
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw ApiError.invalid(null, `The request body is not valid JSON: ${(e as Error).message}`, "invalid_json");
  }
}

function json(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** `data: {chunk}` events, `data: [DONE]` last; an error after the first event is sent as one more event. */
async function sse(engine: FetchTarget, body: ChatCompletionRequest & { stream: true }, signal: AbortSignal): Promise<Response> {
  const stream = await engine.chat.completions.create(body, { signal });
  const chunks = stream[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const event = (data: string) => encoder.encode(`data: ${data}\n\n`);
  const readable = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (signal.aborted) return controller.error(signal.reason);
        if (next.done) {
          controller.enqueue(event("[DONE]"));
          return controller.close();
        }
        controller.enqueue(event(JSON.stringify(next.value)));
      } catch (e) {
        controller.enqueue(event(JSON.stringify(toApiError(e).toJSON())));
        controller.enqueue(event("[DONE]"));
        controller.close();
      }
    },
    async cancel() {
      await chunks.return?.();
    },
  });
  return new Response(readable, {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}
