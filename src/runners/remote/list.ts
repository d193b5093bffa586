import { RemoteBackend, type ServedModel } from "./backend.js";
import { parseRemoteRecord } from "./record.js";

export type { ServedModel };

/**
 * What an OpenAI-compatible server serves (its GET /models), for an app that lets the user pick:
 * `baseUrl` is its API root (relative URLs resolve against the page). Failures are the remote
 * runner's ApiErrors: 401 `invalid_api_key`, 503 `remote_unreachable` (refused, DNS or CORS), …
 */
export async function listRemoteModels(
  baseUrl: string,
  opts: { api_key?: string; headers?: Record<string, string> } = {},
): Promise<ServedModel[]> {
  const pageUrl = globalThis.document?.baseURI ?? globalThis.location?.href;
  const { api_key, headers } = opts;
  const spec = {
    model_id: "list",
    runner: "remote",
    base_url: baseUrl,
    ...(api_key && { api_key }),
    ...(headers && { headers }),
  };
  return RemoteBackend.served(parseRemoteRecord(spec, pageUrl));
}
