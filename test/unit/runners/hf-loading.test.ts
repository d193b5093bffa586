/** Sharded checkpoints from bytes and from a URL, and the config fields the runner refuses by name. */
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  FetchError,
  parseConfig,
  ReferenceRunner,
  SafetensorsError,
  type ShardedBytes,
} from "../../../src/runners/reference/index.js";
import { caseConfig, caseWeights, manifest, readCase } from "./hf-fixtures.js";

const SHARDED = manifest.cases.find((c) => c.files.includes("model.safetensors.index.json"))!;
const sharded = caseWeights(SHARDED.name, SHARDED.files) as ShardedBytes;
const shardNames = Object.keys(sharded.shards).sort();
const config = caseConfig(SHARDED.name);
const tokens = Int32Array.from(manifest.sequences[0]!);
const weightMap = (sharded.index as { weight_map: Record<string, string> }).weight_map;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

/** The index with its weight_map edited. */
function withMap(edit: (map: Record<string, string>) => void): ShardedBytes {
  const map = { ...weightMap };
  edit(map);
  return { index: { ...(sharded.index as object), weight_map: map }, shards: sharded.shards };
}

describe("sharded checkpoint from bytes", () => {
  it("has several shards, and each tensor is read from the shard the index names", async () => {
    expect(shardNames.length).toBeGreaterThan(1);
    const runner = ReferenceRunner.fromBytes(config, sharded);
    const logits = await runner.forward(tokens);
    expect(logits.length).toBe(manifest.vocab_size);
  });

  it("a shard that was not given is named with a tensor it holds", () => {
    const rest = { ...sharded.shards };
    delete rest[shardNames[1]!];
    const e = thrown(() => ReferenceRunner.fromBytes(config, { index: sharded.index, shards: rest })) as SafetensorsError;
    expect(e).toBeInstanceOf(SafetensorsError);
    expect(e.file).toBe(shardNames[1]);
    expect(weightMap[e.tensor!]).toBe(shardNames[1]);
    const held = Object.values(weightMap).filter((s) => s === shardNames[1]).length;
    expect(e.message).toBe(
      `model.safetensors.index.json: shard "${shardNames[1]}" (${held} tensors, "${e.tensor}" first) was not given`,
    );
  });

  it("an index that puts a tensor in the wrong shard names that shard and tensor", () => {
    const tensor = Object.keys(weightMap).find((t) => weightMap[t] === shardNames[0])!;
    const e = thrown(() =>
      ReferenceRunner.fromBytes(
        config,
        withMap((m) => (m[tensor] = shardNames[1]!)),
      ),
    ) as SafetensorsError;
    expect(e).toBeInstanceOf(SafetensorsError);
    expect([e.file, e.tensor]).toEqual([shardNames[1], tensor]);
    expect(e.message).toBe(
      `${shardNames[1]}: missing tensor "${tensor}" (model.safetensors.index.json says it is in this shard)`,
    );
  });

  it("a tensor the config needs that the index does not list is named", () => {
    const e = thrown(() =>
      ReferenceRunner.fromBytes(
        config,
        withMap((m) => delete m["model.norm.weight"]),
      ),
    ) as SafetensorsError;
    expect(e).toBeInstanceOf(SafetensorsError);
    expect(e.message).toBe('model.safetensors.index.json: missing tensor "model.norm.weight" (no shard is listed for it)');
  });

  it("a shard name that is not a file beside the index is refused", () => {
    const e = thrown(() =>
      ReferenceRunner.fromBytes(
        config,
        withMap((m) => (m["model.norm.weight"] = "../other/model.safetensors")),
      ),
    );
    expect(e).toBeInstanceOf(SafetensorsError);
    expect(e.message).toBe(
      'model.safetensors.index.json: tensor "model.norm.weight" maps to "../other/model.safetensors", not a .safetensors file name beside the index',
    );
  });
});

describe("sharded checkpoint from a URL", () => {
  const folder = (drop: string[] = []): Record<string, Uint8Array> => {
    const files: Record<string, Uint8Array> = {};
    for (const f of SHARDED.files) if (f !== "logits.f32" && !drop.includes(f)) files[`/m/${f}`] = readCase(SHARDED.name, f);
    return files;
  };
  // A fetch over in-memory files: the network boundary, not code we own.
  const serve =
    (files: Record<string, Uint8Array>): typeof fetch =>
    async (input: string | URL | Request) => {
      const body = files[String(input)];
      if (!body) return new Response("not found", { status: 404, statusText: "Not Found" });
      return new Response(new Blob([body as Uint8Array<ArrayBuffer>]).stream(), {
        headers: { "content-length": String(body.length) },
      });
    };

  it("falls back to the index when model.safetensors is missing, with progress over every shard", async () => {
    const events: string[] = [];
    // kernels: null, as fromBytes below: the same scalar loops, so the logits are equal bit for bit.
    const runner = await ReferenceRunner.load("/m/", {
      fetch: serve(folder()),
      kernels: null,
      onProgress: (p) => events.push(`${p.stage}:${p.file}:${p.loaded}/${p.total}:${p.text}`),
    });
    const sizes = shardNames.map((s) => readCase(SHARDED.name, s).length);
    shardNames.forEach((s, i) => {
      const done = `download:${s}:${sizes[i]}/${sizes[i]}:${s}: ${sizes[i]} of ${sizes[i]} bytes (shard ${i + 1} of ${shardNames.length})`;
      expect(events).toContain(done);
    });
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(events.slice(-2)).toEqual([
      `parse:model.safetensors.index.json:${total}/${total}:reading weights`,
      `ready::${total}/${total}:ready`,
    ]);
    const fromBytes = ReferenceRunner.fromBytes(config, sharded);
    expect(await runner.forward(tokens)).toEqual(await fromBytes.forward(tokens));
  });

  it("a missing shard is a 404 naming its URL", async () => {
    await expect(ReferenceRunner.load("/m/", { fetch: serve(folder([shardNames[2]!])) })).rejects.toThrow(
      new FetchError(`could not fetch /m/${shardNames[2]}: HTTP 404 Not Found`, `/m/${shardNames[2]}`, 404),
    );
  });

  it("neither model.safetensors nor an index is a 404 naming both", async () => {
    const e = await ReferenceRunner.load("/m/", { fetch: serve(folder(["model.safetensors.index.json"])) }).catch(
      (err: unknown) => err as FetchError,
    );
    expect(e).toBeInstanceOf(FetchError);
    expect([(e as FetchError).status, (e as FetchError).message]).toEqual([
      404,
      "could not fetch /m/model.safetensors: HTTP 404 Not Found; no sharded model.safetensors.index.json beside it either",
    ]);
  });

  it("an inconsistent shard is named with the folder URL", async () => {
    const files = folder();
    files[`/m/${shardNames[0]}`] = files[`/m/${shardNames[1]}`]!; // first shard replaced by the second one
    const e = await ReferenceRunner.load("/m/", { fetch: serve(files) }).catch((err: unknown) => err as SafetensorsError);
    expect(e).toBeInstanceOf(SafetensorsError);
    expect((e as SafetensorsError).file).toBe(`/m/${shardNames[0]}`);
    expect((e as SafetensorsError).message).toMatch(
      new RegExp(
        `^/m/${shardNames[0]}: missing tensor ".+" \\(/m/model\\.safetensors\\.index\\.json says it is in this shard\\)$`,
      ),
    );
  });
});

describe("config.json forms", () => {
  const base = {
    model_type: "llama",
    architectures: ["LlamaForCausalLM"],
    hidden_size: 32,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    intermediate_size: 64,
    vocab_size: 256,
  };
  const message = (json: object) => {
    const e = thrown(() => parseConfig(json));
    expect(e).toBeInstanceOf(ConfigError);
    return e.message;
  };

  it("4.x top-level rope_theta/rope_scaling and 5.x rope_parameters read the same", () => {
    const llama3 = { factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 64 };
    const v4 = parseConfig({ ...base, rope_theta: 500000, rope_scaling: { rope_type: "llama3", ...llama3 } });
    const v4type = parseConfig({ ...base, rope_theta: 500000, rope_scaling: { type: "llama3", ...llama3 } });
    const v5 = parseConfig({ ...base, rope_parameters: { rope_type: "llama3", rope_theta: 500000, ...llama3 } });
    expect(v4.rope).toEqual({
      type: "llama3",
      theta: 500000,
      factor: 8,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositionEmbeddings: 64,
    });
    expect(v4type).toEqual(v4);
    expect(v5).toEqual(v4);
    expect(parseConfig({ ...base, rope_theta: 1e6, rope_scaling: null }).rope).toEqual({ type: "default", theta: 1e6 });
    expect(parseConfig(base).rope).toEqual({ type: "default", theta: 10000 });
  });

  it("missing fields take the transformers default of their architecture", () => {
    const noKv: Partial<typeof base> = { ...base };
    delete noKv.num_key_value_heads;
    expect(
      parseConfig({ ...noKv, model_type: "qwen3", architectures: ["Qwen3ForCausalLM"], num_attention_heads: 32 }),
    ).toMatchObject({ numKvHeads: 32, headDim: 128, maxPositionEmbeddings: 32768 });
    expect(
      parseConfig({ ...base, model_type: "qwen2", architectures: ["Qwen2ForCausalLM"], num_key_value_heads: null }).numKvHeads,
    ).toBe(4);
    const gemma = { ...noKv, model_type: "gemma", architectures: ["GemmaForCausalLM"], num_attention_heads: 16 };
    expect(parseConfig({ ...gemma, hidden_act: "gelu" })).toMatchObject({
      activation: "gelu_tanh",
      tieWordEmbeddings: true,
      headDim: 256,
      numKvHeads: 16,
    });
    const mistral = { ...base, model_type: "mistral", architectures: ["MistralForCausalLM"] };
    expect(parseConfig(mistral).slidingWindows).toEqual([4096, 4096]);
    expect(parseConfig({ ...mistral, sliding_window: null }).slidingWindows).toEqual([null, null]);
    const qwen2 = { ...base, model_type: "qwen2", architectures: ["Qwen2ForCausalLM"], sliding_window: 8 };
    expect(parseConfig({ ...qwen2, use_sliding_window: false }).slidingWindows).toEqual([null, null]);
    expect(parseConfig({ ...qwen2, use_sliding_window: true, max_window_layers: 1 }).slidingWindows).toEqual([null, 8]);
  });

  it("a rope type, model type or field the runner cannot honor is a ConfigError naming field and value", () => {
    expect(message({ ...base, rope_parameters: { rope_type: "longrope", rope_theta: 1e4 } })).toBe(
      'config.json: rope_parameters.rope_type "longrope" is not supported; supported: default, linear, dynamic, llama3, yarn',
    );
    expect(message({ ...base, rope_scaling: { type: "su", factor: 2 } })).toBe(
      'config.json: rope_scaling.type "su" is not supported; supported: default, linear, dynamic, llama3, yarn',
    );
    expect(message({ ...base, model_type: "gpt2" })).toBe(
      'config.json: model_type "gpt2" is not supported by the reference runner; supported: qwen3, qwen2, llama, mistral, granite, gemma',
    );
    expect(message({ ...base, model_type: "mistral" })).toBe(
      'config.json: architectures[0] "LlamaForCausalLM" does not match model_type "mistral" (expected MistralForCausalLM)',
    );
    expect(message({ ...base, partial_rotary_factor: 0.5 })).toBe(
      "config.json: partial_rotary_factor 0.5 is not supported for LlamaForCausalLM: transformers rotates the whole head there",
    );
    expect(message({ ...base, rope_parameters: { rope_type: "default", rope_theta: 1e4, partial_rotary_factor: 0.25 } })).toBe(
      "config.json: rope_parameters.partial_rotary_factor 0.25 is not supported for LlamaForCausalLM: transformers rotates the whole head there",
    );
    expect(message({ ...base, rope_parameters: { full_attention: {}, sliding_attention: {} } })).toBe(
      "config.json: rope_parameters per layer type (full_attention, sliding_attention) is not supported; LlamaForCausalLM uses one rope for all layers",
    );
    expect(message({ ...base, rope_parameters: { rope_type: "llama3", rope_theta: 5e5, factor: 8, high_freq_factor: 4 } })).toBe(
      "config.json: rope_parameters.low_freq_factor must be a positive number (llama3 needs it)",
    );
    expect(message({ ...base, rope_parameters: { rope_type: "linear", factor: -2 } })).toBe(
      "config.json: rope_parameters.factor must be a positive number, got -2",
    );
    expect(message({ ...base, quantization_config: { quant_method: "gptq", bits: 4 } })).toBe(
      'config.json: quantization_config (quant_method "gptq") is not supported; the reference runner reads F32, F16 and BF16 weights',
    );
    expect(message({ ...base, hidden_act: "gelu" })).toBe(
      'config.json: hidden_act "gelu" is not supported; the reference runner implements silu (SwiGLU)',
    );
    expect(
      message({ ...base, model_type: "gemma", architectures: ["GemmaForCausalLM"], use_bidirectional_attention: true }),
    ).toBe("config.json: use_bidirectional_attention true is not supported (the runner is causal)");
    const qwen2 = { ...base, model_type: "qwen2", architectures: ["Qwen2ForCausalLM"] };
    expect(message({ ...qwen2, layer_types: ["full_attention", "chunked_attention"] })).toBe(
      'config.json: layer_types[1] "chunked_attention" is not supported; supported: full_attention, sliding_attention',
    );
    expect(message({ ...qwen2, mlp_bias: true })).toBe(
      "config.json: mlp_bias true is not supported for Qwen2ForCausalLM (transformers builds its MLP without bias)",
    );
    expect(
      message({ ...base, model_type: "mistral", architectures: ["MistralForCausalLM"], layer_types: ["full_attention"] }),
    ).toBe(
      "config.json: layer_types is not supported for MistralForCausalLM (transformers' Mistral ignores it; Ministral uses it)",
    );
  });
});
