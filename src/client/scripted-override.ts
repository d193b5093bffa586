import { TINY_MODEL_ID } from "../models/record.js";
import type { ModelSpec } from "../runners/registry.js";
import type { ModelScript } from "../runners/scripted/script.js";

/**
 * `useScriptedModel(page, script)` (webgpu-chat-engine/testing) sets this global before an app
 * under test loads; createEngine then loads the scripted model in place of every model asked for.
 * Symbol.for keys cannot collide with an app's own globals.
 */
export const SCRIPTED_MODEL_KEY = "webgpu-chat-engine.scripted-model";

export interface ScriptedModelOverride {
  script: ModelScript;
  tokenizerUrl?: string;
}

/** `spec` as the scripted model under the same id when a test set the override, else `spec`. */
export function scriptedInstead(spec: ModelSpec, modelBase: string): ModelSpec {
  const override = (globalThis as Record<symbol, unknown>)[Symbol.for(SCRIPTED_MODEL_KEY)] as ScriptedModelOverride | undefined;
  if (!override) return spec;
  return {
    model_id: typeof spec === "string" ? spec : spec.model_id,
    model: override.tokenizerUrl ?? new URL(TINY_MODEL_ID + "/", modelBase).href,
    runner: "scripted",
    script: override.script,
  };
}
