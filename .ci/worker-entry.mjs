// No chunk may import a worker's entry file: WebKit runs a module worker's entry again when a chunk
// imports it (a second, empty engine then answers; issue 34). src/worker/expose.ts and shared-worker.ts
// import no code, which keeps every bundler from putting shared code there; this checks the outputs.
// Usage: worker-entry.mjs DIR... (a Vite app's dist/assets, the package's dist/worker).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// Entry files as Vite names them in an app (worker-<hash>.js) and as the package build does (worker.js).
const ENTRY = /^(?:shared-worker|worker|expose)(?:-[\w-]{8})?\.js$/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+\.js)["']/g;

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".js"))
    .map((e) => join(e.parentPath, e.name));

let bad = 0;
let scanned = 0;
for (const dir of process.argv.slice(2)) {
  for (const file of files(dir)) {
    scanned++;
    // An entry may import another (the package's worker.js runs expose.js's exposeEngine); a chunk may not.
    if (ENTRY.test(file.split("/").at(-1))) continue;
    for (const [, spec] of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
      const name = spec.split("/").at(-1);
      if (ENTRY.test(name)) {
        console.error(`${file} imports the worker entry ${spec}: move what it shares out of the entry module`);
        bad++;
      }
    }
  }
}
console.log(`worker entries: ${scanned} chunks scanned, ${bad} import an entry`);
process.exit(bad || !scanned ? 1 : 0);
