// The page's entry chunk (dist/, after `vite build`) must carry only what runs in the page: no zod
// (request validation runs in the worker). Reads the chunk's source map; prints its gzip size.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const dir = process.argv[2] ?? "dist";
const html = readFileSync(`${dir}/index.html`, "utf8");
const src = /<script type="module"[^>]* src="\/?([^"]+)"/.exec(html)?.[1];
if (!src) throw new Error(`${dir}/index.html has no module script`);
const code = readFileSync(`${dir}/${src}`);
const { sources } = JSON.parse(readFileSync(`${dir}/${src}.map`, "utf8"));
const banned = sources.filter((s) => /node_modules\/zod\//.test(s));
console.log(`page entry ${src}: ${(code.length / 1024).toFixed(1)} kB, gzip ${(gzipSync(code).length / 1024).toFixed(1)} kB`);
if (banned.length) {
  console.error(`the page entry bundles zod (${banned.length} files); import protocol/errors.js or limits.js, not the schemas`);
  process.exit(1);
}
