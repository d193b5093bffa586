/** Public API. The engine (createEngine, chat.completions) lands on top of these pieces. */
export type { ModelRunner, LoadProgress, ProgressCallback } from "./runners/runner.js";
export {
  ReferenceRunner,
  ConfigError,
  FetchError,
  SafetensorsError,
  SafetensorsFile,
  encodeSafetensors,
  parseConfig,
  type DecoderConfig,
  type ReferenceLoadOptions,
} from "./runners/reference/index.js";
export { Prng } from "./engine/prng.js";
