/**
 * `npx webgpu-chat-engine tiny-model <dir>`: writes the tiny test model. Runs from the built package
 * (dist/cli.js), which carries the Qwen3 tokenizer files gzipped beside it.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { TINY_MODEL_FILES, TINY_MODEL_SEED, writeTinyModel } from "../tiny-model/write.js";

const HELP = `Usage: webgpu-chat-engine tiny-model <dir> [--seed N]

Writes tiny-random-qwen3 into <dir>: ${TINY_MODEL_FILES.join(", ")} (49 MB).
Random weights (seeded: the same bytes on every run, seed ${TINY_MODEL_SEED} by default) with the
real Qwen3 tokenizer and chat template. Its text is noise; it exists to test an app end to end,
and its folder also serves the scripted model of "webgpu-chat-engine/testing".

Serve <dir> at <modelBaseUrl>tiny-random-qwen3/ (by default /models/tiny-random-qwen3/), e.g.
  npx webgpu-chat-engine tiny-model public/models/tiny-random-qwen3
then createEngine({ model: "tiny-random-qwen3" }).

Options:
  --seed N     another random model (same shapes)
  -h, --help   this text`;

export function main(args: string[], assetDir: URL): number {
  if (args.length === 0 || args.includes("-h") || args.includes("--help")) {
    console.log(HELP);
    return args.length === 0 ? 1 : 0;
  }
  const [command, dir, ...rest] = args;
  if (command !== "tiny-model" || !dir || dir.startsWith("-")) {
    console.error(`Unknown command: ${args.join(" ")}\n\n${HELP}`);
    return 1;
  }
  let seed = TINY_MODEL_SEED;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--seed" && /^\d+$/.test(rest[i + 1] ?? "")) seed = Number(rest[++i]);
    else {
      console.error(`Unknown option ${rest[i]}: only --seed N (a non-negative integer).\n\n${HELP}`);
      return 1;
    }
  }
  const out = resolve(dir);
  const t0 = performance.now();
  writeTinyModel(
    out,
    {
      tokenizerJson: gunzipSync(readFileSync(new URL("tokenizer.json.gz", assetDir))),
      tokenizerConfigJson: readFileSync(new URL("tokenizer_config.json", assetDir)),
    },
    seed,
  );
  console.log(`tiny-random-qwen3 (seed ${seed}) written to ${out} in ${Math.round(performance.now() - t0)} ms`);
  return 0;
}
