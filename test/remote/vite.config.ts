/**
 * The repository's Vite config plus a same-origin proxy to the shared vLLM (/vllm-tiny/… →
 * VLLM_TINY_URL/…): the deployment docs/remote.md recommends for pages, and it needs no
 * --allowed-origins on a server other suites share. The own server of faults.spec.ts is reached directly.
 */
import { mergeConfig } from "vite";
import base from "../../vite.config.js";
import { TINY_URL } from "./servers.js";

export default mergeConfig(base, {
  server: { proxy: { "/vllm-tiny": { target: TINY_URL, rewrite: (path: string) => path.replace(/^\/vllm-tiny/, "") } } },
});
