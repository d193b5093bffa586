/**
 * Every request field of the installed vLLM (read from its pydantic ChatCompletionRequest) is one
 * the engine knows: honored, or refused by name with a 400 saying why. A new vLLM field fails here.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { REQUEST_FIELDS } from "../../src/protocol/request.js";
import { structuredOutputsSchema } from "../../src/protocol/structured.js";
import { VLLM_VENV } from "./servers.js";

interface VllmFields {
  version: string;
  request: string[];
  structured_outputs?: string[];
}

test("the engine knows every request field of the installed vLLM", () => {
  const python = join(VLLM_VENV, "bin/python");
  if (!existsSync(join(VLLM_VENV, ".ready")))
    throw new Error(`vLLM is not installed (no ${VLLM_VENV}/.ready): run scripts/vllm/install.sh`);
  const fields = JSON.parse(
    execFileSync(python, [fileURLToPath(new URL("request-fields.py", import.meta.url))], { encoding: "utf8" }),
  ) as VllmFields;
  console.log(`vLLM ${fields.version}: ${fields.request.length} request fields`);
  expect(fields.request.filter((f) => !REQUEST_FIELDS.includes(f))).toEqual([]);
  const structured = Object.keys(structuredOutputsSchema.shape);
  expect((fields.structured_outputs ?? []).filter((f) => !structured.includes(f))).toEqual([]);
});
