// Node module hook: @mlc-ai/web-tokenizers and @mlc-ai/web-xgrammar ship UMD builds (CommonJS when
// `exports` exists) inside "type": "module" packages, so Node parses them as ES modules that export
// nothing. Loading those two files as CommonJS gives Node their named exports, unchanged; browsers
// get the same builds through Vite's dependency pre-bundling.
import { readFile } from "node:fs/promises";

const UMD_BUILDS = /\/node_modules\/@mlc-ai\/web-(tokenizers|xgrammar)\/lib\/index\.js$/;

/** @type {import("node:module").LoadHook} */
export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !UMD_BUILDS.test(new URL(url).pathname)) return nextLoad(url, context);
  // The source is given so Node compiles it as CommonJS itself instead of handing it to require(),
  // which would read the package's "type": "module" again.
  return { format: "commonjs", source: await readFile(new URL(url), "utf8"), shortCircuit: true };
}
