/**
 * Names a model record may give its parsers, by vLLM's flag values (`--tool-call-parser`). The
 * parsers themselves live in engine/output/; the names sit here so records can be checked without
 * loading the engine.
 */
export const TOOL_FORMATS = ["hermes", "llama3_json", "mistral", "granite"] as const;
export type ToolFormat = (typeof TOOL_FORMATS)[number];

/** Reasoning parsers by vLLM's `--reasoning-parser` names, in the order detection asks them. */
export const REASONING_FORMATS = ["openai_gptoss", "mistral", "granite", "deepseek_v3", "deepseek_r1", "qwen3"] as const;
export type ReasoningFormat = (typeof REASONING_FORMATS)[number];
