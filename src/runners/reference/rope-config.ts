/**
 * Rotary-embedding settings from a config.json in either form transformers writes: 4.x puts
 * `rope_theta` and `rope_scaling` at the top level, 5.x puts everything in `rope_parameters`.
 */

export type Rope =
  | { type: "default"; theta: number }
  /** Frequencies divided by `factor`. */
  | { type: "linear"; theta: number; factor: number }
  /** Dynamic NTK: only changes past max_position_embeddings, which the runner never reaches. */
  | { type: "dynamic"; theta: number; factor: number }
  | {
      type: "llama3";
      theta: number;
      factor: number;
      lowFreqFactor: number;
      highFreqFactor: number;
      originalMaxPositionEmbeddings: number;
    }
  | {
      type: "yarn";
      theta: number;
      factor: number;
      originalMaxPositionEmbeddings: number;
      /** Multiplies cos and sin (so q.k by its square). */
      attentionFactor: number;
      betaFast: number;
      betaSlow: number;
      truncate: boolean;
    };

const ROPE_TYPES = ["default", "linear", "dynamic", "llama3", "yarn"] as const;
const LAYER_TYPE_KEYS = ["full_attention", "sliding_attention"];

interface Context {
  arch: string;
  headDim: number;
  maxPositionEmbeddings: number;
}

export function parseRope(json: Record<string, unknown>, ctx: Context, fail: (msg: string) => never): Rope {
  // transformers: a non-null rope_scaling (4.x) wins over rope_parameters (5.x); a top-level rope_theta fills in.
  const field = isObject(json.rope_scaling) ? "rope_scaling" : "rope_parameters";
  const raw = json[field];
  if (raw !== undefined && raw !== null && !isObject(raw)) fail(`${field} must be an object, got ${JSON.stringify(raw)}`);
  const p: Record<string, unknown> = isObject(raw) ? raw : {};
  const nested = Object.keys(p).filter((k) => LAYER_TYPE_KEYS.includes(k));
  if (nested.length) {
    fail(`${field} per layer type (${nested.join(", ")}) is not supported; ${ctx.arch} uses one rope for all layers`);
  }
  const num = (key: string, fallback?: number): number => {
    const v = p[key] ?? fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
      return fail(
        `${field}.${key} must be a positive number${v === undefined ? ` (${p.rope_type ?? p.type} needs it)` : `, got ${JSON.stringify(v)}`}`,
      );
    }
    return v;
  };
  const partial = p.partial_rotary_factor ?? json.partial_rotary_factor;
  if (partial !== undefined && partial !== null && partial !== 1) {
    const where = p.partial_rotary_factor !== undefined ? `${field}.partial_rotary_factor` : "partial_rotary_factor";
    fail(`${where} ${JSON.stringify(partial)} is not supported for ${ctx.arch}: transformers rotates the whole head there`);
  }
  const theta = num("rope_theta", (json.rope_theta as number | undefined) ?? 10000); // top level checked by the schema
  const typeKey = p.rope_type !== undefined ? "rope_type" : "type";
  const type = (p[typeKey] ?? "default") as Rope["type"];
  const origMax = (): number => num("original_max_position_embeddings", ctx.maxPositionEmbeddings);
  switch (type) {
    case "default":
      return { type, theta };
    case "linear":
    case "dynamic":
      return { type, theta, factor: num("factor") };
    case "llama3":
      return {
        type,
        theta,
        factor: num("factor"),
        lowFreqFactor: num("low_freq_factor"),
        highFreqFactor: num("high_freq_factor"),
        originalMaxPositionEmbeddings: origMax(),
      };
    case "yarn": {
      const factor = num("factor");
      const mscale = (scale: number, m = 1) => (scale <= 1 ? 1 : 0.1 * m * Math.log(scale) + 1);
      const m = p.mscale;
      const mAll = p.mscale_all_dim;
      const inferred =
        typeof m === "number" && typeof mAll === "number" && m && mAll
          ? mscale(factor, m) / mscale(factor, mAll)
          : mscale(factor);
      return {
        type,
        theta,
        factor,
        originalMaxPositionEmbeddings: origMax(),
        attentionFactor: p.attention_factor == null ? inferred : num("attention_factor"),
        // transformers: `or 32` / `or 1`, so 0 and null also fall back
        betaFast: p.beta_fast ? num("beta_fast") : 32,
        betaSlow: p.beta_slow ? num("beta_slow") : 1,
        truncate: p.truncate === undefined ? true : Boolean(p.truncate),
      };
    }
    default:
      return fail(`${field}.${typeKey} ${JSON.stringify(type)} is not supported; supported: ${ROPE_TYPES.join(", ")}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
