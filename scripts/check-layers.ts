/**
 * The import rules of docs/architecture.md, checked on src/ (run: `npm run lint:layers`; CI runs it):
 * 1. no import cycle (type-only imports count: they tie the files as much for a reader);
 * 2. no arrow runs back up the rooms: demo → client → worker → engine → runners → models/backends → protocol;
 * 3. outside src/runners/<name>/ only the registry names a runner, except the allowances below.
 * Prints each problem and exits 1 when there is any.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dirname, "../src");

/** Rooms from the ground up; a file may import its own room's files and those of lower rooms. */
const FLOORS: string[][] = [
  ["protocol"],
  ["models", "backends"],
  ["runners"],
  ["engine"],
  ["worker", "tiny-model"],
  ["client", "cli"],
  ["testing", "index.ts"],
  ["demo"],
];

/** Files outside runners/ that may name a runner's folder, and why. */
const NAMES_A_RUNNER: Record<string, string> = {
  "runners/registry.ts": "the registry lists every runner",
  "runners/stores.ts": "the page's list of every runner's stores, apart from the plugin loaders",
  "index.ts": "the public face exports the record types and the reference runner",
  "testing/index.ts": "webgpu-chat-engine/testing is the scripted runner's public face",
  "testing/scripted.ts": "builds scripted records for an app's tests",
  "client/scripted-override.ts": "the page half of useScriptedModel (a scripted record in place of any model)",
  "tiny-model/random-model.ts": "writes a model in the reference runner's format (config.json, safetensors)",
  "demo/models.ts": "the demo offers web-llm's prebuilt models, with web-llm's adapter check",
};

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)["'](\.{1,2}\/[^"']+)["']/gm;
const graph = new Map<string, string[]>();
for (const file of files(SRC)) {
  const text = readFileSync(file, "utf8");
  const targets = [...text.matchAll(IMPORT)].map((m) => relative(SRC, resolve(dirname(file), m[1]!.replace(/\.js$/, ".ts"))));
  graph.set(
    relative(SRC, file),
    targets.filter((t) => t.endsWith(".ts")),
  );
}

const room = (f: string) => f.split("/")[0]!;
const floor = (f: string) => FLOORS.findIndex((rooms) => rooms.includes(room(f)));
const runnerOf = (f: string) => /^runners\/([^/]+)\//.exec(f)?.[1];
const problems: string[] = [];

for (const [from, targets] of graph) {
  for (const to of targets) {
    if (floor(to) > floor(from)) problems.push(`${from} -> ${to}: runs back up (${room(to)} is above ${room(from)})`);
    const runner = runnerOf(to);
    if (runner && runnerOf(from) !== runner && !NAMES_A_RUNNER[from])
      problems.push(`${from} -> ${to}: names the runner "${runner}"; go through runners/registry.ts`);
  }
}

// Cycles: a depth-first walk; a file met again while still on the path closes a cycle.
const state = new Map<string, "open" | "done">();
const path: string[] = [];
const walk = (f: string) => {
  state.set(f, "open");
  path.push(f);
  for (const to of graph.get(f) ?? []) {
    if (state.get(to) === "open") problems.push(`cycle: ${[...path.slice(path.indexOf(to)), to].join(" -> ")}`);
    else if (!state.has(to)) walk(to);
  }
  path.pop();
  state.set(f, "done");
};
for (const f of graph.keys()) if (!state.has(f)) walk(f);

for (const p of problems) console.error(p);
console.log(`layers: ${graph.size} files, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
