/**
 * Makes the consumer apps from the packed tarball, as a user would, and builds them; then the
 * strict `tsc` consumers under TypeScript 5.9 and 7. Run before playwright.config.ts here.
 *   tsx test/consumers/prepare.ts [--tarball FILE]
 * One npm install serves every app (bundlers, openai, the tarball), from npm's cache when warm.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bin, CONSUMERS_DIR, MODELS_DIR } from "./paths.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const NPM_FLAGS = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];
const timings: string[] = [];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 1 << 26 });
}

function timed(name: string, fn: () => void): void {
  const t0 = performance.now();
  fn();
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  timings.push(`${name} ${s} s`);
  console.log(`[consumers] ${name}: ${s} s`);
}

function pack(): string {
  const given = process.argv.indexOf("--tarball"); // a tarball already packed (e.g. by an earlier step)
  if (given >= 0) return resolve(process.argv[given + 1]!);
  const out = run("npm", ["pack", "--json", "--pack-destination", CONSUMERS_DIR], ROOT);
  const name = (JSON.parse(out.slice(out.indexOf("["))) as { filename: string }[])[0]!.filename;
  return join(CONSUMERS_DIR, name);
}

function app(name: string, html: "index.html" | "built.html"): string {
  const dir = join(CONSUMERS_DIR, name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(HERE, "app/src"), join(dir, "src"), { recursive: true });
  cpSync(join(HERE, "app", html), join(dir, "index.html"));
  return dir;
}

function tscConsumer(name: string, typescript: string, tarball: string): void {
  const dir = join(CONSUMERS_DIR, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  cpSync(join(HERE, "tsc"), dir, { recursive: true });
  run("npm", ["install", ...NPM_FLAGS, tarball, `typescript@${typescript}`], dir);
  run("node", [join(dir, "node_modules/typescript/bin/tsc"), "-p", dir], dir);
}

/**
 * The package as a git dependency: npm clones a clone of this repository at HEAD (committed work
 * only), installs its dev dependencies, runs `prepare` (which builds dist/) and packs it; then the
 * same Vite app is built against it.
 */
function gitConsumer(): void {
  const source = join(CONSUMERS_DIR, "git-source");
  const sha = run("git", ["rev-parse", "HEAD"], ROOT).trim();
  run("git", ["clone", "--quiet", ROOT, source], CONSUMERS_DIR);
  run("git", ["checkout", "--quiet", sha], source);
  const dir = join(CONSUMERS_DIR, "git");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "git-consumer", private: true, type: "module" }));
  run("npm", ["install", ...NPM_FLAGS, `git+file://${source}#${sha}`], dir);
  cpSync(join(HERE, "app/src"), join(dir, "src"), { recursive: true });
  cpSync(join(HERE, "app/index.html"), join(dir, "index.html"));
  run("node", [bin("vite", "bin/vite.js"), "build", "--logLevel", "error"], dir);
}

mkdirSync(CONSUMERS_DIR, { recursive: true });
for (const entry of readdirSync(CONSUMERS_DIR)) {
  if (!entry.endsWith(".tgz")) rmSync(join(CONSUMERS_DIR, entry), { recursive: true, force: true });
}
let tarball = "";
timed("npm pack (build:lib)", () => (tarball = pack()));
writeFileSync(join(CONSUMERS_DIR, "package.json"), JSON.stringify({ name: "consumer-apps", private: true, type: "module" }));
timed("npm install", () =>
  run(
    "npm",
    ["install", ...NPM_FLAGS, tarball, "vite@^8", "webpack@^5", "webpack-cli@^6", "esbuild@^0.28", "openai@^6"],
    CONSUMERS_DIR,
  ),
);
timed("npx webgpu-chat-engine tiny-model", () =>
  run("npx", ["--no-install", "webgpu-chat-engine", "tiny-model", join(MODELS_DIR, "tiny-random-qwen3")], CONSUMERS_DIR),
);
const vite = app("vite", "index.html");
mkdirSync(join(vite, "public"));
symlinkSync(MODELS_DIR, join(vite, "public/models"), "dir");
timed("vite build", () => run("node", [bin("vite", "bin/vite.js"), "build", "--logLevel", "error"], vite));
const webpack = app("webpack", "built.html");
// Development mode: production minifies the 12 MB prebuilt worker again, 2-3.5 minutes here.
timed("webpack --mode development", () =>
  run("node", [bin("webpack-cli", "bin/cli.js"), "--mode", "development", "--no-stats"], webpack),
);
const esbuild = app("esbuild", "built.html");
timed("esbuild", () =>
  run(
    bin("esbuild", "bin/esbuild"),
    ["src/index.js", "--bundle", "--format=esm", "--outfile=dist/main.js", "--log-level=error"],
    esbuild,
  ),
);
timed("git dependency: npm install git+file:// (prepare builds dist/), vite build", gitConsumer);
timed("tsc 5.9 strict consumer", () => tscConsumer("tsc-5.9", "~5.9.3", tarball));
timed("tsc 7 strict consumer", () => tscConsumer("tsc-7", "^7", tarball));
writeFileSync(join(CONSUMERS_DIR, "timings.txt"), timings.join("\n") + "\n");
console.log(`[consumers] ready in ${CONSUMERS_DIR}: ${readdirSync(CONSUMERS_DIR).join(", ")}`);
