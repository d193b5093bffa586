/**
 * An independent, deliberately naive decoder for checking the reference runner: whole-sequence
 * forward, float64, plain loops, no KV cache, straight from the Hugging Face modeling code.
 */
import { SafetensorsFile } from "../../src/runners/reference/safetensors.js";
import type { HfConfig } from "../../src/tiny-model/random-model.js";

type Mat = Float64Array[]; // rows

export function naiveForward(cfg: HfConfig, bytes: Uint8Array, tokens: number[]): Float64Array[] {
  const st = SafetensorsFile.parse(bytes, "naive");
  const W = (n: string) => Float64Array.from(st.get(n));
  const H = cfg.hidden_size as number;
  const nh = cfg.num_attention_heads as number;
  const nkv = (cfg.num_key_value_heads as number | undefined) ?? nh;
  const hd = (cfg.head_dim as number | undefined) ?? H / nh;
  const eps = cfg.rms_norm_eps as number;
  const theta = (cfg.rope_theta as number | undefined) ?? 10000;
  const arch = (cfg.architectures as string[])[0];
  const bias = arch === "Qwen2ForCausalLM" || cfg.attention_bias === true;
  const T = tokens.length;

  const linear = (x: Mat, name: string, out: number, withBias: boolean): Mat => {
    const w = W(name + ".weight");
    const b = withBias ? W(name + ".bias") : null;
    const inDim = w.length / out;
    return x.map((row) => {
      const y = new Float64Array(out);
      for (let o = 0; o < out; o++) {
        let s = b ? b[o]! : 0;
        for (let i = 0; i < inDim; i++) s += w[o * inDim + i]! * row[i]!;
        y[o] = s;
      }
      return y;
    });
  };
  const norm = (v: Float64Array, g: Float64Array): Float64Array => {
    let ms = 0;
    for (const a of v) ms += a * a;
    ms /= v.length;
    return v.map((a, i) => (a / Math.sqrt(ms + eps)) * g[i]!);
  };
  const invFreq = Array.from({ length: hd / 2 }, (_, i) => 1 / theta ** ((2 * i) / hd));
  const scaling = cfg.rope_scaling as Record<string, number> | undefined;
  if (scaling) {
    const lowW = scaling.original_max_position_embeddings! / scaling.low_freq_factor!;
    const highW = scaling.original_max_position_embeddings! / scaling.high_freq_factor!;
    invFreq.forEach((f, i) => {
      const wl = (2 * Math.PI) / f;
      if (wl > lowW) invFreq[i] = f / scaling.factor!;
      else if (wl >= highW) {
        const sm =
          (scaling.original_max_position_embeddings! / wl - scaling.low_freq_factor!) /
          (scaling.high_freq_factor! - scaling.low_freq_factor!);
        invFreq[i] = (1 - sm) * (f / scaling.factor!) + sm * f;
      }
    });
  }
  // rotate_half with emb = cat(freqs, freqs)
  const rope = (v: Float64Array, pos: number): Float64Array => {
    const out = new Float64Array(hd);
    for (let i = 0; i < hd; i++) {
      const f = invFreq[i % (hd / 2)]! * pos;
      const rotated = i < hd / 2 ? -v[i + hd / 2]! : v[i - hd / 2]!;
      out[i] = v[i]! * Math.cos(f) + rotated * Math.sin(f);
    }
    return out;
  };

  const embed = W("model.embed_tokens.weight");
  let x: Mat = tokens.map((t) => embed.slice(t * H, (t + 1) * H));
  for (let l = 0; l < (cfg.num_hidden_layers as number); l++) {
    const p = `model.layers.${l}.`;
    const xn = x.map((r) => norm(r, W(p + "input_layernorm.weight")));
    const q = linear(xn, p + "self_attn.q_proj", nh * hd, bias);
    const k = linear(xn, p + "self_attn.k_proj", nkv * hd, bias);
    const v = linear(xn, p + "self_attn.v_proj", nkv * hd, bias);
    const head = (m: Mat, t: number, h: number) => m[t]!.slice(h * hd, (h + 1) * hd);
    const qk = (m: Mat, t: number, h: number, normName: string) => {
      let vec: Float64Array = head(m, t, h);
      if (arch === "Qwen3ForCausalLM") vec = norm(vec, W(p + normName));
      return rope(vec, t);
    };
    const attnOut: Mat = [];
    for (let t = 0; t < T; t++) {
      const row = new Float64Array(nh * hd);
      for (let h = 0; h < nh; h++) {
        const kvh = Math.floor(h / (nh / nkv));
        const qv = qk(q, t, h, "self_attn.q_norm.weight");
        const scores = [];
        for (let s = 0; s <= t; s++) {
          const kv = qk(k, s, kvh, "self_attn.k_norm.weight");
          scores.push(qv.reduce((a, b, i) => a + b * kv[i]!, 0) / Math.sqrt(hd));
        }
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let s = 0; s <= t; s++) {
          const vv = head(v, s, kvh);
          for (let i = 0; i < hd; i++) row[h * hd + i] = row[h * hd + i]! + (e[s]! / z) * vv[i]!;
        }
      }
      attnOut.push(row);
    }
    const o = linear(attnOut, p + "self_attn.o_proj", H, false);
    x = x.map((r, t) => r.map((a, i) => a + o[t]![i]!));
    const xn2 = x.map((r) => norm(r, W(p + "post_attention_layernorm.weight")));
    const I = cfg.intermediate_size as number;
    const g = linear(xn2, p + "mlp.gate_proj", I, false);
    const u = linear(xn2, p + "mlp.up_proj", I, false);
    const act = g.map((r, t) => r.map((a, i) => (a / (1 + Math.exp(-a))) * u[t]![i]!));
    const d = linear(act, p + "mlp.down_proj", H, false);
    x = x.map((r, t) => r.map((a, i) => a + d[t]![i]!));
  }
  const final = x.map((r) => norm(r, W("model.norm.weight")));
  const headName = cfg.tie_word_embeddings ? "model.embed_tokens" : "lm_head";
  return linear(final, headName, cfg.vocab_size as number, false);
}
