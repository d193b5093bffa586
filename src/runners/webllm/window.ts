import { ApiError } from "../../protocol/index.js";

/** The parts of mlc-chat-config.json (merged with a record's overrides) this runner reads. */
export interface MlcChatConfig {
  vocab_size?: number;
  context_window_size?: number;
  sliding_window_size?: number;
  attention_sink_size?: number;
  conv_template?: { stop_token_ids?: number[] };
  [key: string]: unknown;
}

/** As web-llm 0.2.86's reload: the file, then the record's overrides, then the reload's chat options. */
export function mergeChatConfig(
  file: MlcChatConfig,
  overrides: Record<string, unknown> | undefined,
  chatOpts: Record<string, unknown> | undefined,
): MlcChatConfig {
  return { ...file, ...overrides, ...chatOpts };
}

/** How web-llm sizes its KV cache for a merged config. */
export interface KvLayout {
  /** Tokens the KV cache holds (LLMChatPipeline's max_total_sequence_length). */
  capacity: number;
  /** True when old tokens slide out of the cache instead of filling it. */
  sliding: boolean;
}

/**
 * The KV cache web-llm will allocate for `cfg`, following LLMChatPipeline's constructor: a sliding
 * window when `sliding_window_size` is not -1 (then `context_window_size` must be -1 and an
 * `attention_sink_size` >= 0 given), else `context_window_size`. What web-llm would reject after
 * downloading the weights is a 400 here, before any download.
 */
export function kvLayout(cfg: MlcChatConfig, modelId: string): KvLayout {
  const ctx = cfg.context_window_size;
  const sliding = cfg.sliding_window_size;
  const fix = `Set it in the record's overrides (e.g. { "context_window_size": 4096, "sliding_window_size": -1 }).`;
  const bad = (message: string) =>
    new ApiError({
      type: "invalid_request_error",
      message: `${modelId}: ${message}`,
      param: "model.overrides",
      code: "bad_window_config",
    });
  for (const [name, v] of [
    ["context_window_size", ctx],
    ["sliding_window_size", sliding],
  ] as const) {
    if (v !== undefined && v !== -1 && !(Number.isInteger(v) && v > 0))
      throw bad(`${name} is ${JSON.stringify(v)}; it must be a positive integer or -1. ${fix}`);
  }
  // web-llm compares with !== -1, so a missing field counts as set.
  if (ctx !== -1 && sliding !== -1)
    throw bad(
      `only one of context_window_size (${ctx}) and sliding_window_size (${sliding}) may be positive; web-llm needs the other to be -1. ${fix}`,
    );
  if (sliding !== undefined && sliding !== -1) {
    const sink = cfg.attention_sink_size;
    if (!(typeof sink === "number" && Number.isInteger(sink) && sink >= 0))
      throw bad(`a sliding window needs attention_sink_size >= 0 (0 for a plain sliding window), got ${JSON.stringify(sink)}.`);
    return { capacity: sliding, sliding: true };
  }
  if (ctx === undefined || ctx === -1) throw bad(`neither context_window_size nor sliding_window_size is set. ${fix}`);
  return { capacity: ctx, sliding: false };
}

/**
 * The window the engine enforces (prompt + output). For a full KV cache it is its capacity. For a
 * sliding window it is the window itself: within it every token still sees the whole prompt (the
 * output equals full attention) and nothing has slid out, so the cache can also drop a suffix.
 * A record's `context_window` caps either.
 */
export function engineWindow(layout: KvLayout, cap: number | undefined): number {
  return cap && cap > 0 ? Math.min(cap, layout.capacity) : layout.capacity;
}
