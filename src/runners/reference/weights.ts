import type { DecoderConfig } from "./config.js";
import type { SafetensorsFile } from "./safetensors.js";

interface LayerWeights {
  inputNorm: Float32Array;
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  qBias?: Float32Array;
  kBias?: Float32Array;
  vBias?: Float32Array;
  qNorm?: Float32Array;
  kNorm?: Float32Array;
  o: Float32Array;
  postNorm: Float32Array;
  gate: Float32Array;
  up: Float32Array;
  down: Float32Array;
}

export interface DecoderWeights {
  embed: Float32Array;
  layers: LayerWeights[];
  finalNorm: Float32Array;
  /** Output projection [vocab, hidden]; the embedding itself when tied. */
  lmHead: Float32Array;
}

/** Pull every tensor the config calls for out of a safetensors file, checking each shape. */
export function loadWeights(cfg: DecoderConfig, st: SafetensorsFile): DecoderWeights {
  const H = cfg.hiddenSize;
  const qDim = cfg.numHeads * cfg.headDim;
  const kvDim = cfg.numKvHeads * cfg.headDim;
  const I = cfg.intermediateSize;
  const layers: LayerWeights[] = [];
  for (let l = 0; l < cfg.numLayers; l++) {
    const p = `model.layers.${l}.`;
    const get = (name: string, shape: number[]) => st.get(p + name, shape);
    layers.push({
      inputNorm: get("input_layernorm.weight", [H]),
      q: get("self_attn.q_proj.weight", [qDim, H]),
      k: get("self_attn.k_proj.weight", [kvDim, H]),
      v: get("self_attn.v_proj.weight", [kvDim, H]),
      ...(cfg.qkvBias && {
        qBias: get("self_attn.q_proj.bias", [qDim]),
        kBias: get("self_attn.k_proj.bias", [kvDim]),
        vBias: get("self_attn.v_proj.bias", [kvDim]),
      }),
      ...(cfg.qkNorm && {
        qNorm: get("self_attn.q_norm.weight", [cfg.headDim]),
        kNorm: get("self_attn.k_norm.weight", [cfg.headDim]),
      }),
      o: get("self_attn.o_proj.weight", [H, qDim]),
      postNorm: get("post_attention_layernorm.weight", [H]),
      gate: get("mlp.gate_proj.weight", [I, H]),
      up: get("mlp.up_proj.weight", [I, H]),
      down: get("mlp.down_proj.weight", [H, I]),
    });
  }
  const embed = st.get("model.embed_tokens.weight", [cfg.vocabSize, H]);
  const lmHead = cfg.tieWordEmbeddings ? embed : st.get("lm_head.weight", [cfg.vocabSize, H]);
  return { embed, layers, finalNorm: st.get("model.norm.weight", [H]), lmHead };
}
