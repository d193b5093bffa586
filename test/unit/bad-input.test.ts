import { describe, expect, it } from "vitest";
import {
  ConfigError,
  FetchError,
  ReferenceRunner,
  SafetensorsError,
  SafetensorsFile,
  encodeSafetensors,
} from "../../src/runners/reference/index.js";
import { randomSafetensors } from "../../src/tiny-model/random-model.js";
import { TINY_CONFIGS } from "./configs.js";
import { thrown } from "./support/thrown.js";

const cfg = TINY_CONFIGS.qwen3!;

/** Rewrite the JSON header of a safetensors file, keeping its length field consistent. */
function withHeader(
  bytes: Uint8Array,
  edit: (h: Record<string, { data_offsets: number[]; shape: number[] }>) => void,
): Uint8Array {
  const len = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len)));
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - len);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + len), 8 + json.length);
  return out;
}

describe("config.json", () => {
  it("an unknown architecture names it and the supported ones", () => {
    const e = thrown(() => ReferenceRunner.fromBytes({ ...cfg, architectures: ["GPT2LMHeadModel"] }, randomSafetensors(cfg, 1)));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe(
      'config.json: architecture "GPT2LMHeadModel" is not supported by the reference runner; supported: Qwen3ForCausalLM, Qwen2ForCausalLM, LlamaForCausalLM, MistralForCausalLM, GraniteForCausalLM, GemmaForCausalLM',
    );
  });

  it("a missing or wrong field is named", () => {
    expect(thrown(() => ReferenceRunner.fromBytes({ ...cfg, hidden_size: "64" }, new Uint8Array(8))).message).toMatch(
      /^config\.json: field "hidden_size": /,
    );
    expect(thrown(() => ReferenceRunner.fromBytes({ ...cfg, num_key_value_heads: 3 }, new Uint8Array(8))).message).toMatch(
      /num_attention_heads \(4\) must be a multiple of num_key_value_heads \(3\)/,
    );
    expect(
      thrown(() => ReferenceRunner.fromBytes({ ...cfg, rope_scaling: { rope_type: "longrope", factor: 4 } }, new Uint8Array(8)))
        .message,
    ).toBe('config.json: rope_scaling.rope_type "longrope" is not supported; supported: default, linear, dynamic, llama3, yarn');
  });
});

describe("safetensors", () => {
  const good = randomSafetensors(cfg, 1);

  it("a header that lies about a tensor's size names the tensor", () => {
    const bad = withHeader(good, (h) => {
      h["model.norm.weight"]!.shape = [33];
    });
    const e = thrown(() => SafetensorsFile.parse(bad, "model.safetensors")) as SafetensorsError;
    expect(e).toBeInstanceOf(SafetensorsError);
    expect(e.tensor).toBe("model.norm.weight");
    expect(e.message).toBe('model.safetensors: tensor "model.norm.weight" spans 128 bytes but F32 [33] needs 132');
  });

  it("a truncated file names the file and the first tensor past the end", () => {
    const e = thrown(() => SafetensorsFile.parse(good.subarray(0, good.length - 10), "model.safetensors")) as SafetensorsError;
    expect(e.file).toBe("model.safetensors");
    expect(e.tensor).toBeDefined();
    expect(e.message).toMatch(
      /^model\.safetensors: tensor ".+" ends at byte \d+ of the data but the file has only \d+ data bytes \(truncated download\?\)$/,
    );
    expect(thrown(() => SafetensorsFile.parse(good.subarray(0, 100), "x.safetensors")).message).toMatch(
      /header claims \d+ bytes but the file has 92/,
    );
  });

  it("a missing tensor is named when the runner is built", () => {
    const bad = withHeader(good, (h) => {
      delete h["model.layers.1.self_attn.k_norm.weight"];
    });
    const e = thrown(() => ReferenceRunner.fromBytes(cfg, bad)) as SafetensorsError;
    expect(e.tensor).toBe("model.layers.1.self_attn.k_norm.weight");
    expect(e.message).toBe('model.safetensors: missing tensor "model.layers.1.self_attn.k_norm.weight"');
  });

  it("a tensor whose shape disagrees with config.json is named with both shapes", () => {
    const e = thrown(() => ReferenceRunner.fromBytes({ ...cfg, intermediate_size: 40 }, good));
    expect(e.message).toBe(
      'model.safetensors: tensor "model.layers.0.mlp.gate_proj.weight" has shape [48,32], config.json implies [40,32]',
    );
  });

  it("decodes F16 and BF16 exactly", () => {
    const u16 = (...v: number[]) => new Uint8Array(Uint16Array.from(v).buffer);
    const file = SafetensorsFile.parse(
      encodeSafetensors({
        h: { dtype: "F16", shape: [5], data: u16(0x3c00, 0xc000, 0x3800, 0x0001, 0x7c00) },
        b: { dtype: "BF16", shape: [3], data: u16(0x3f80, 0xc000, 0x3f00) },
      }),
      "m",
    );
    expect(Array.from(file.get("h"))).toEqual([1, -2, 0.5, 2 ** -24, Infinity]);
    expect(Array.from(file.get("b"))).toEqual([1, -2, 0.5]);
  });

  it("a BF16 model runs and equals the F32 model with the same rounded weights", async () => {
    const st = SafetensorsFile.parse(good, "f32");
    const bf16: Parameters<typeof encodeSafetensors>[0] = {};
    const rounded: Parameters<typeof encodeSafetensors>[0] = {};
    for (const [name, t] of st.tensors) {
      const bits = new Uint32Array(st.get(name).buffer.slice(0));
      const halves = Uint16Array.from(bits, (b) => b >>> 16);
      bf16[name] = { dtype: "BF16", shape: t.shape, data: new Uint8Array(halves.buffer) };
      rounded[name] = { dtype: "F32", shape: t.shape, data: new Uint8Array(Uint32Array.from(halves, (h) => h << 16).buffer) };
    }
    const a = await ReferenceRunner.fromBytes(cfg, encodeSafetensors(bf16)).forward(Int32Array.of(5, 6, 7));
    const b = await ReferenceRunner.fromBytes(cfg, encodeSafetensors(rounded)).forward(Int32Array.of(5, 6, 7));
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe("loading from a URL", () => {
  const weights = randomSafetensors(cfg, 1);
  const files: Record<string, Uint8Array> = {
    "/m/config.json": new TextEncoder().encode(JSON.stringify(cfg)),
    "/m/model.safetensors": weights,
  };
  // A fetch over in-memory files: the network boundary, not code we own.
  const serve = (cut?: number): typeof fetch =>
    (async (input: string | URL | Request) => {
      const path = String(input);
      const body = files[path];
      if (!body) return new Response("not found", { status: 404, statusText: "Not Found" });
      const sent = cut && path.endsWith(".safetensors") ? body.subarray(0, cut) : body;
      return new Response(new Blob([sent as Uint8Array<ArrayBuffer>]).stream(), {
        headers: { "content-length": String(body.length) },
      });
    }) as typeof fetch;

  it("reports download progress per file and ends ready", async () => {
    const events: string[] = [];
    const runner = await ReferenceRunner.load("/m", {
      fetch: serve(),
      onProgress: (p) => events.push(`${p.stage}:${p.file}:${p.loaded}/${p.total}`),
    });
    expect(runner.vocabSize).toBe(97);
    expect(events).toContain(`download:model.safetensors:${weights.length}/${weights.length}`);
    expect(events.at(-1)).toBe(`ready::${weights.length}/${weights.length}`);
  });

  it("a missing file gives 'could not fetch <url>'", async () => {
    await expect(ReferenceRunner.load("/nope/", { fetch: serve() })).rejects.toThrow(
      new FetchError("could not fetch /nope/config.json: HTTP 404 Not Found", "/nope/config.json", 404),
    );
  });

  it("a download cut halfway is an error naming the URL and byte counts", async () => {
    await expect(ReferenceRunner.load("/m/", { fetch: serve(1000) })).rejects.toThrow(
      `could not fetch /m/model.safetensors: got 1000 of ${weights.length} bytes (connection cut?)`,
    );
  });
});
