/**
 * One request through the official openai client, as plain data: the same function runs in Node
 * against live vLLM and in the page against engine.fetch, so both sides are read the same way.
 */
import OpenAI from "openai";

export type Body = Record<string, unknown>;
/** A completion, the chunks of a stream, or the error (status and vLLM's error body fields). */
export type Outcome =
  | { kind: "completion"; body: Record<string, unknown> }
  | { kind: "stream"; chunks: Record<string, unknown>[] }
  | { kind: "error"; status: number | undefined; type: unknown; param: unknown; code: unknown; message: string };

export function openaiClient(baseURL: string, apiKey: string, fetch?: typeof globalThis.fetch): OpenAI {
  return new OpenAI({ baseURL, apiKey, fetch, maxRetries: 0, timeout: 600_000, dangerouslyAllowBrowser: true });
}

export async function call(client: OpenAI, body: Body): Promise<Outcome> {
  try {
    if (!body.stream) {
      const r = await client.chat.completions.create(body as never);
      return { kind: "completion", body: JSON.parse(JSON.stringify(r)) as Record<string, unknown> };
    }
    const stream = (await client.chat.completions.create(body as never)) as unknown as AsyncIterable<unknown>;
    const chunks: Record<string, unknown>[] = [];
    for await (const c of stream) chunks.push(JSON.parse(JSON.stringify(c)) as Record<string, unknown>);
    return { kind: "stream", chunks };
  } catch (e) {
    if (!(e instanceof OpenAI.APIError)) throw e;
    return { kind: "error", status: e.status, type: e.type, param: e.param, code: e.code, message: e.message };
  }
}
