import { RemoteBackend } from "./backend.js";
import { parseRemoteRecord, remoteRecordSchema, type RemoteRecord } from "./record.js";

/**
 * The "remote" runner plugin: a record naming an OpenAI-compatible server loads as a Backend (no
 * weights in the page). Shaped for the runner registry: { name, record, load }.
 */
export const remoteRunner = {
  name: "remote",
  record: remoteRecordSchema,
  async load(record: RemoteRecord): Promise<{ backend: RemoteBackend }> {
    return { backend: await RemoteBackend.connect(parseRemoteRecord(record)) };
  },
};

export { RemoteBackend } from "./backend.js";
export { isRemoteSpec, parseRemoteRecord, type RemoteRecord } from "./record.js";
