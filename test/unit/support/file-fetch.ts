import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/**
 * `fetch` for `file:` URLs, which Node's own fetch refuses: the boundary where a model folder on disk
 * stands in for one on a server. A missing file is a 404, as a static host answers.
 */
export async function fileFetch(input: RequestInfo | URL): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  if (url.protocol !== "file:") throw new TypeError(`fileFetch reads file: URLs only, got ${url.href}`);
  try {
    const bytes = await readFile(fileURLToPath(url));
    return new Response(bytes, { headers: { "content-length": String(bytes.byteLength) } });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      return new Response("not found", { status: 404, statusText: "Not Found" });
    throw e;
  }
}
