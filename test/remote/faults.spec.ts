/**
 * A vLLM of the suite's own, stalled (SIGSTOP), killed mid-stream (SIGKILL) and restarted: each
 * failure is a typed ApiError within the timeout, and the same backend serves again after.
 */
import { expect, test } from "@playwright/test";
import { ApiError, type ChatCompletionChunk } from "../../src/index.js";
import { RemoteBackend } from "../../src/runners/remote/backend.js";
import { parseRemoteRecord } from "../../src/runners/remote/record.js";
import { OwnServer, remoteRecord } from "./servers.js";

test.describe.configure({ mode: "serial" });

const server = new OwnServer();
const body = {
  messages: [{ role: "user", content: "Count to a thousand." }],
  max_tokens: 1500,
  temperature: 0,
  ignore_eos: true,
};
const TIMEOUT_MS = 3000;
/** The stall test's backend times out quickly; the others wait as long as a loaded machine needs. */
let backend: RemoteBackend;
let patient: RemoteBackend;

test.beforeAll(async () => {
  test.setTimeout(960_000);
  await server.start();
  backend = await RemoteBackend.connect(parseRemoteRecord(remoteRecord(server.url, { timeout_ms: TIMEOUT_MS })));
  patient = await RemoteBackend.connect(parseRemoteRecord(remoteRecord(server.url, { timeout_ms: 120_000 })));
});

test.afterAll(async () => {
  server.signal("SIGCONT");
  await server.kill();
});

/** Read a stream until it fails; returns the chunks seen and the error. */
async function readUntilError(chunks: AsyncGenerator<ChatCompletionChunk>, atChunk: number, act: () => void | Promise<void>) {
  let seen = 0;
  try {
    for await (const chunk of chunks) if (chunk.choices.length && ++seen === atChunk) await act();
  } catch (e) {
    return { seen, error: e };
  }
  return { seen, error: null };
}

test("a stalled stream fails with a 503 remote_timeout after timeout_ms of silence, then the server answers again", async () => {
  test.setTimeout(600_000);
  const started = Date.now();
  const { seen, error } = await readUntilError(await backend.stream(body), 2, () => server.signal("SIGSTOP"));
  const waited = Date.now() - started;
  server.signal("SIGCONT");
  expect(seen).toBeGreaterThanOrEqual(2);
  expect(error).toBeInstanceOf(ApiError);
  expect([(error as ApiError).status, (error as ApiError).code]).toEqual([503, "remote_timeout"]);
  expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS);
  const after = await patient.create({ ...body, max_tokens: 2 });
  expect(after.choices[0]!.finish_reason).toBe("length");
});

test("vLLM killed mid-stream: a typed 503 at once; a request while it is down is refused; the restarted server answers", async () => {
  test.setTimeout(960_000);
  const { seen, error } = await readUntilError(await patient.stream(body), 2, () => server.signal("SIGKILL"));
  await server.kill(); // waits for the exit (reading stays unblocked until then, so the idle timer is not what ends it)
  expect(seen).toBeGreaterThanOrEqual(2);
  expect(error).toBeInstanceOf(ApiError);
  expect([(error as ApiError).status, (error as ApiError).code]).toEqual([503, "remote_connection_lost"]);
  const down = await patient.create(body).catch((e: unknown) => e);
  expect([(down as ApiError).status, (down as ApiError).code]).toEqual([503, "remote_unreachable"]);
  await server.start();
  const after = await patient.create({ ...body, max_tokens: 3 });
  expect(after.usage.completion_tokens).toBe(3);
});
