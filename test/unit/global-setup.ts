import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_TINY_MODEL_DIR, TINY_MODEL_FILES, writeTinyModel } from "../fixtures/make-tiny-model.js";

/** Unit tests read the tiny model from disk: make it when it is missing. */
export default function setup(): void {
  if (!TINY_MODEL_FILES.every((f) => existsSync(join(DEFAULT_TINY_MODEL_DIR, f)))) writeTinyModel(DEFAULT_TINY_MODEL_DIR);
}
