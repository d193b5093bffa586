import type { RunnerPlugin } from "../plugin.js";
import { RemoteBackend } from "./backend.js";
import { parseRemoteRecord, remoteRecordSchema, type RemoteRecord } from "./record.js";

/**
 * The "remote" runner: a record naming an OpenAI-compatible server loads as a whole Backend (no
 * weights in the worker); the host routes its model id's requests there.
 */
export const remotePlugin: RunnerPlugin<RemoteRecord> = {
  name: "remote",
  record: remoteRecordSchema,
  async load(record, ctx) {
    return { backend: await RemoteBackend.connect(parseRemoteRecord(record, ctx.baseUrl)) };
  },
};
