/** A short greedy corpus on the real model, SmolLM2-135M-Instruct (~10 tok/s in vLLM float32). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { realCorpus } from "./corpus.js";
import { differentialSuite } from "./differential.js";
import { REAL_MODEL_DIR, realServer } from "./servers.js";

differentialSuite("vLLM vs engine: SmolLM2-135M-Instruct", realServer, realCorpus, () => {
  if (!existsSync(join(REAL_MODEL_DIR, "config.json")))
    throw new Error(`no real model at ${REAL_MODEL_DIR}: build it with scripts/real-model/ (issue 31) first`);
});
