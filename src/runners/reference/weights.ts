import type { Matrix } from "./linear.js";
import type { DecoderConfig } from "./config.js";

/** Where tensors come from: one safetensors file or a sharded checkpoint. */
export interface TensorSource {
  /** Decode a tensor to F32, checking its shape; throws a SafetensorsError naming the file and tensor. */
  get(name: string, shape?: readonly number[]): Float32Array;
  /** A weight matrix in the source's own encoding (GGUF keeps blocks quantized); absent: `get`. */
  matrix?(name: string, shape: readonly number[]): Matrix;
}

interface LayerWeights {
  inputNorm: Float32Array;
  q: Matrix;
  k: Matrix;
  v: Matrix;
  qBias?: Float32Array;
  kBias?: Float32Array;
  vBias?: Float32Array;
  oBias?: Float32Array;
  qNorm?: Float32Array;
  kNorm?: Float32Array;
  o: Matrix;
  postNorm: Float32Array;
  gate: Matrix;
  up: Matrix;
  down: Matrix;
  gateBias?: Float32Array;
  upBias?: Float32Array;
  downBias?: Float32Array;
}

export interface DecoderWeights {
  embed: Matrix;
  layers: LayerWeights[];
  finalNorm: Float32Array;
  /** Output projection [vocab, hidden]; the embedding itself when tied. */
  lmHead: Matrix;
}

/** Pull every tensor the config calls for out of the checkpoint, checking each shape. */
export function loadWeights(cfg: DecoderConfig, st: TensorSource): DecoderWeights {
  const H = cfg.hiddenSize;
  const qDim = cfg.numHeads * cfg.headDim;
  const kvDim = cfg.numKvHeads * cfg.headDim;
  const I = cfg.intermediateSize;
  const layers: LayerWeights[] = [];
  // Gemma stores RMSNorm gains as w and multiplies by (1 + w) in float32: add the 1 once here.
  const gain = (w: Float32Array) => (cfg.normPlusOne ? w.map((v) => v + 1) : w);
  for (let l = 0; l < cfg.numLayers; l++) {
    const p = `model.layers.${l}.`;
    const get = (name: string, shape: number[]) => st.get(p + name, shape);
    const mat = (name: string, shape: number[]) => (st.matrix ? st.matrix(p + name, shape) : st.get(p + name, shape));
    const norm = (name: string) => gain(get(name, [H]));
    layers.push({
      inputNorm: norm("input_layernorm.weight"),
      q: mat("self_attn.q_proj.weight", [qDim, H]),
      k: mat("self_attn.k_proj.weight", [kvDim, H]),
      v: mat("self_attn.v_proj.weight", [kvDim, H]),
      ...(cfg.qkvBias && {
        qBias: get("self_attn.q_proj.bias", [qDim]),
        kBias: get("self_attn.k_proj.bias", [kvDim]),
        vBias: get("self_attn.v_proj.bias", [kvDim]),
      }),
      ...(cfg.qkNorm && {
        qNorm: get("self_attn.q_norm.weight", [cfg.headDim]),
        kNorm: get("self_attn.k_norm.weight", [cfg.headDim]),
      }),
      o: mat("self_attn.o_proj.weight", [H, qDim]),
      ...(cfg.oBias && { oBias: get("self_attn.o_proj.bias", [H]) }),
      postNorm: norm("post_attention_layernorm.weight"),
      gate: mat("mlp.gate_proj.weight", [I, H]),
      up: mat("mlp.up_proj.weight", [I, H]),
      down: mat("mlp.down_proj.weight", [H, I]),
      ...(cfg.mlpBias && {
        gateBias: get("mlp.gate_proj.bias", [I]),
        upBias: get("mlp.up_proj.bias", [I]),
        downBias: get("mlp.down_proj.bias", [H]),
      }),
    });
  }
  const top = (name: string) => (st.matrix ? st.matrix(name, [cfg.vocabSize, H]) : st.get(name, [cfg.vocabSize, H]));
  const embed = top("model.embed_tokens.weight");
  const lmHead = cfg.tieWordEmbeddings ? embed : top("lm_head.weight");
  return { embed, layers, finalNorm: gain(st.get("model.norm.weight", [H])), lmHead };
}
