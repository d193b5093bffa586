import type { InferenceSession, Tensor } from "onnxruntime-web";

/** How to feed a decoder-with-past graph, read from its session's inputs and outputs (never assumed). */
export interface GraphSignature {
  /** int64 or int32, as the graph declares input_ids / attention_mask / position_ids. */
  idsType: IntType;
  maskType: IntType;
  /** null: the graph derives positions itself (GroupQueryAttention graphs). */
  positionIds: IntType | null;
  /** "num_logits_to_keep" / "logits_to_keep" when the graph has it (an int64 scalar). */
  logitsToKeep: string | null;
  layers: number;
  kvHeads: number;
  headDim: number;
  kvType: "float32" | "float16";
  logitsType: "float32" | "float16";
  /** Vocabulary size from the logits output's last dimension, when it is a number. */
  vocabSize: number | null;
  /** past input name → the present output that feeds it next step. */
  pastToPresent: Map<string, string>;
}

type IntType = "int64" | "int32";

/** Thrown when a graph is not a decoder-with-past graph this runner can drive; the message says why. */
export class GraphError extends Error {
  override name = "GraphError";
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;

export function readSignature(
  inputs: readonly InferenceSession.ValueMetadata[],
  outputs: readonly InferenceSession.ValueMetadata[],
  file: string,
): GraphSignature {
  const byName = new Map(inputs.map((m) => [m.name, m]));
  const unknown = inputs.filter((m) => !PAST.test(m.name) && !KNOWN_INPUTS.has(m.name)).map((m) => m.name);
  if (unknown.length)
    throw new GraphError(
      `${file} has inputs this runner does not know how to fill: ${unknown.join(", ")} (it feeds input_ids, attention_mask, position_ids, past_key_values.N.key/value, num_logits_to_keep). Is it a decoder-with-past text model?`,
    );
  const outNames = new Set(outputs.map((m) => m.name));
  for (const need of ["input_ids", "attention_mask"])
    if (!byName.has(need)) throw new GraphError(`${file} has no ${need} input.`);
  if (!outNames.has("logits")) throw new GraphError(`${file} has no logits output.`);

  const past = inputs.filter((m) => PAST.test(m.name));
  const layers = past.length / 2;
  if (!layers || !Number.isInteger(layers))
    throw new GraphError(
      `${file} has no past_key_values.N.key/value pairs: it is not a decoder-with-past graph (export it with use_cache).`,
    );
  const pastToPresent = new Map<string, string>();
  for (let i = 0; i < layers; i++) {
    for (const kind of ["key", "value"]) {
      const name = `past_key_values.${i}.${kind}`;
      const present = `present.${i}.${kind}`;
      if (!byName.has(name)) throw new GraphError(`${file} has ${past.length} past inputs but no ${name}.`);
      if (!outNames.has(present)) throw new GraphError(`${file} has the input ${name} but no ${present} output.`);
      pastToPresent.set(name, present);
    }
  }
  const first = tensorMeta(byName.get("past_key_values.0.key")!, file);
  const [kvHeads, headDim] = [first.shape[1], first.shape[3]];
  if (first.shape.length !== 4 || typeof kvHeads !== "number" || typeof headDim !== "number")
    throw new GraphError(
      `${file}: past_key_values.0.key has shape [${first.shape.join(", ")}]; expected [batch, kv_heads, past, head_dim] with fixed heads.`,
    );
  const logits = tensorMeta(
    outputs.find((m) => m.name === "logits")!,
    file,
  );
  const vocab = logits.shape[logits.shape.length - 1];
  const keep = ["num_logits_to_keep", "logits_to_keep"].find((n) => byName.has(n)) ?? null;
  return {
    idsType: intType(byName.get("input_ids")!, file),
    maskType: intType(byName.get("attention_mask")!, file),
    positionIds: byName.has("position_ids") ? intType(byName.get("position_ids")!, file) : null,
    logitsToKeep: keep,
    layers,
    kvHeads,
    headDim,
    kvType: floatType(first, "past_key_values.0.key", file),
    logitsType: floatType(logits, "logits", file),
    vocabSize: typeof vocab === "number" ? vocab : null,
    pastToPresent,
  };
}

const KNOWN_INPUTS = new Set(["input_ids", "attention_mask", "position_ids", "num_logits_to_keep", "logits_to_keep"]);

function tensorMeta(m: InferenceSession.ValueMetadata, file: string): InferenceSession.TensorValueMetadata {
  if (!m.isTensor) throw new GraphError(`${file}: ${m.name} is not a tensor.`);
  return m;
}

function intType(m: InferenceSession.ValueMetadata, file: string): IntType {
  const t = tensorMeta(m, file).type;
  if (t === "int64" || t === "int32") return t;
  throw new GraphError(`${file}: ${m.name} is ${t}; expected int64 or int32.`);
}

function floatType(m: InferenceSession.TensorValueMetadata, name: string, file: string): "float32" | "float16" {
  const t: Tensor.Type = m.type;
  if (t === "float32" || t === "float16") return t;
  throw new GraphError(`${file}: ${name} is ${t}; expected float32 or float16.`);
}
