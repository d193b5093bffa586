/**
 * RemoteBackend against live vLLM (run in Node by Playwright's runner): bodies as vLLM sends
 * them, streaming, abort freeing vLLM's slot, and each kind of failure as a typed ApiError.
 */
import { expect, test } from "@playwright/test";
import { ApiError, type ChatCompletion, type ChatCompletionChunk } from "../../src/index.js";
import { RemoteBackend } from "../../src/runners/remote/backend.js";
import { parseRemoteRecord } from "../../src/runners/remote/record.js";
import { API_KEY, pollUntil, remoteRecord, REMOTE_ID, runningRequests, SERVED, TINY_URL, waitReady } from "./servers.js";

test.describe.configure({ mode: "serial" });

const messages = [{ role: "user", content: "Name three colours." }];
/** Greedy, with vLLM's own fields asked for, so pass-through is checked too. */
const body = {
  messages,
  max_tokens: 12,
  temperature: 0,
  logprobs: true,
  top_logprobs: 2,
  return_token_ids: true,
  prompt_logprobs: 1,
};
const long = { messages, max_tokens: 1500, temperature: 0, ignore_eos: true };

let backend: RemoteBackend;

test.beforeAll(async () => {
  test.setTimeout(960_000);
  await waitReady(TINY_URL, Number(process.env.VLLM_WAIT_S ?? 900) * 1000);
  backend = await RemoteBackend.connect(parseRemoteRecord(remoteRecord()));
});

async function direct(payload: object): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${TINY_URL}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({ ...payload, model: SERVED }),
  });
  return { status: res.status, json: await res.json() };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  const err = e as ApiError;
  expect(err.message).not.toContain(API_KEY);
  return err;
}

/** id and created differ per request; model is the page's id through the backend. */
const comparable = (c: object) => ({ ...c, id: "", created: 0, model: "" });

async function collect(it: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

test("the same request through the remote record and directly to vLLM gives the same body, vLLM's fields intact", async () => {
  const viaBackend = await backend.create(body);
  const { status, json } = await direct(body);
  expect(status).toBe(200);
  expect(viaBackend.model).toBe(REMOTE_ID);
  expect(comparable(viaBackend)).toEqual(comparable(json as object));
  // vLLM's own fields came through: token ids, prompt logprobs.
  expect(viaBackend.choices[0]!.token_ids?.length).toBe(viaBackend.usage.completion_tokens);
  expect(viaBackend.prompt_logprobs?.length).toBe(viaBackend.usage.prompt_tokens);
  expect(backend.modelIds()).toEqual([REMOTE_ID]);
  expect(backend.contextWindow(REMOTE_ID)).toBe(2048);
});

test("stream equals non-stream: the same text, token ids and finish reason, chunks arriving one by one", async () => {
  const streamable = { ...body, prompt_logprobs: undefined }; // vLLM refuses prompt_logprobs with stream
  const plain: ChatCompletion = await backend.create(streamable);
  const chunks = await collect(await backend.stream({ ...streamable, stream_options: { include_usage: true } }));
  expect(chunks.length).toBeGreaterThan(3);
  expect(chunks.every((c) => c.model === REMOTE_ID)).toBe(true);
  const choice = (c: ChatCompletionChunk) => c.choices[0];
  const text = chunks.map((c) => (choice(c)?.delta.content ?? "") + (choice(c)?.delta.reasoning ?? "")).join("");
  const message = plain.choices[0]!.message;
  expect(text).toBe((message.content ?? "") + (message.reasoning ?? ""));
  expect(chunks.flatMap((c) => choice(c)?.token_ids ?? [])).toEqual(plain.choices[0]!.token_ids);
  expect(chunks.map((c) => choice(c)?.finish_reason).filter(Boolean)).toEqual([plain.choices[0]!.finish_reason]);
  // vLLM's stream usage omits prompt_tokens_details where its plain answer has null: counts compared.
  const counts = (u: ChatCompletion["usage"] | null | undefined) => [u?.prompt_tokens, u?.completion_tokens, u?.total_tokens];
  expect(counts(chunks.at(-1)!.usage)).toEqual(counts(plain.usage));
});

/**
 * Read a long stream, call `stop` at its third chunk (while vLLM is generating it), and check the
 * stream ends with finish_reason "abort" and vLLM's num_requests_running returns to 0.
 */
async function stopMidStream(chunks: AsyncIterable<ChatCompletionChunk>, stop: () => void): Promise<void> {
  const seen: ChatCompletionChunk[] = [];
  for await (const c of chunks) {
    seen.push(c);
    if (seen.length !== 3) continue;
    expect(await runningRequests(TINY_URL)).toBe(1);
    stop();
  }
  // The stream ends as the in-page engine's does: the open choice finishes with "abort".
  expect(seen.at(-1)!.choices[0]!.finish_reason).toBe("abort");
  expect(
    await pollUntil(
      () => runningRequests(TINY_URL),
      (n) => n === 0,
      30_000,
    ),
  ).toBe(0);
}

test("aborting a stream closes the HTTP stream: vLLM frees the request (num_requests_running back to 0)", async () => {
  const controller = new AbortController();
  await stopMidStream(await backend.stream(long, controller.signal), () => controller.abort());
});

test("cancel(request_id) stops a running remote request and frees vLLM's slot; the id is free again after", async () => {
  const chunks = await backend.stream({ ...long, request_id: "remote-cancel-1" });
  await stopMidStream(chunks, () => expect(backend.cancel("remote-cancel-1")).toBe(true));
  expect(backend.cancel("remote-cancel-1")).toBe(false);
  const again = await backend.create({ ...body, max_tokens: 2, request_id: "remote-cancel-1" });
  expect(again.choices[0]!.finish_reason).toBe("length");
});

test("a wrong key is a 401 authentication_error, at connect and on a request, and the key is never in the message", async () => {
  const wrong = remoteRecord(TINY_URL, { api_key: "sk-wrong-key" });
  const atConnect = await failure(RemoteBackend.connect(parseRemoteRecord(wrong)));
  expect([atConnect.status, atConnect.type, atConnect.code]).toEqual([401, "authentication_error", "invalid_api_key"]);
  expect(atConnect.message).not.toContain("sk-wrong-key");
  expect(atConnect.message).toContain("api_key");
  const onRequest = await failure(new RemoteBackend(parseRemoteRecord(wrong)).create(body));
  expect([onRequest.status, onRequest.type]).toEqual([401, "authentication_error"]);
  expect(onRequest.message).not.toContain("sk-wrong-key");
});

test("vLLM's own errors keep status, type and param: an unknown served model (404), a bad field (400)", async () => {
  const unknown = await failure(RemoteBackend.connect(parseRemoteRecord(remoteRecord(TINY_URL, { model: "no-such-model" }))));
  expect([unknown.status, unknown.param, unknown.code]).toEqual([404, "model", "model_not_found"]);
  expect(unknown.message).toContain(SERVED); // says what the server does serve
  const onRequest = await failure(
    new RemoteBackend(parseRemoteRecord(remoteRecord(TINY_URL, { model: "no-such-model" }))).create(body),
  );
  expect(onRequest.status).toBe(404);
  const direct400 = await direct({ ...body, temperature: -1 });
  expect(direct400.status).toBe(400);
  const bad = await failure(backend.create({ ...body, temperature: -1 }));
  const server = (direct400.json as { error: { message: string; param: string | null } }).error;
  expect([bad.status, bad.type, bad.param]).toEqual([400, "invalid_request_error", server.param]);
  expect(bad.message).toContain(server.message);
  // A stream rejects before it starts, the same way.
  expect((await failure(backend.stream({ ...body, temperature: -1 }))).status).toBe(400);
});

test("a wrong base_url: FastAPI's {detail} 404 arrives as a typed error with advice", async () => {
  const noV1 = await failure(new RemoteBackend(parseRemoteRecord(remoteRecord(TINY_URL, { base_url: TINY_URL }))).create(body));
  expect([noV1.status, noV1.type]).toEqual([404, "not_found_error"]);
  expect(noV1.message).toContain("base_url");
});

test("a refused connection is a 503 remote_unreachable naming the origin only; the backend still works after", async () => {
  const refused = await failure(RemoteBackend.connect(parseRemoteRecord(remoteRecord("http://127.0.0.1:7799"))));
  expect([refused.status, refused.type, refused.code]).toEqual([503, "service_unavailable_error", "remote_unreachable"]);
  expect(refused.message).toContain("http://127.0.0.1:7799");
  expect(refused.message).toContain("--allowed-origins");
  expect((await backend.create({ ...body, max_tokens: 2 })).choices).toHaveLength(1);
});

test("bad records are 400s naming the field", async () => {
  const noUrl = await failure(Promise.resolve().then(() => parseRemoteRecord({ model_id: "x", runner: "remote" })));
  expect([noUrl.status, noUrl.param, noUrl.code]).toEqual([400, "model.base_url", "invalid_model_record"]);
  const creds = await failure(
    Promise.resolve().then(() =>
      parseRemoteRecord({ model_id: "x", runner: "remote", base_url: "http://u:secret@127.0.0.1/v1" }),
    ),
  );
  expect(creds.param).toBe("model.base_url");
  expect(creds.message).not.toContain("secret");
});
