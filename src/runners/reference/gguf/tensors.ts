import type { WasmKernels } from "../kernels/wasm-kernels.js";
import type { Matrix } from "../linear.js";
import type { TensorSource } from "../weights.js";
import { dequantize } from "./dequant.js";
import { GgufError } from "./gguf-error.js";
import type { GgufHeader, TensorInfo } from "./header.js";
import { QuantMatrix } from "./quant-matrix.js";

/** transformers' tensor names → llama.cpp's, per layer and for the rest. */
const LAYER_NAMES: Record<string, string> = {
  "input_layernorm.weight": "attn_norm.weight",
  "self_attn.q_proj.weight": "attn_q.weight",
  "self_attn.k_proj.weight": "attn_k.weight",
  "self_attn.v_proj.weight": "attn_v.weight",
  "self_attn.o_proj.weight": "attn_output.weight",
  "self_attn.q_proj.bias": "attn_q.bias",
  "self_attn.k_proj.bias": "attn_k.bias",
  "self_attn.v_proj.bias": "attn_v.bias",
  "self_attn.o_proj.bias": "attn_output.bias",
  "self_attn.q_norm.weight": "attn_q_norm.weight",
  "self_attn.k_norm.weight": "attn_k_norm.weight",
  "post_attention_layernorm.weight": "ffn_norm.weight",
  "mlp.gate_proj.weight": "ffn_gate.weight",
  "mlp.up_proj.weight": "ffn_up.weight",
  "mlp.down_proj.weight": "ffn_down.weight",
};
const TOP_NAMES: Record<string, string> = {
  "model.embed_tokens.weight": "token_embd.weight",
  "model.norm.weight": "output_norm.weight",
  "lm_head.weight": "output.weight",
};

function ggufName(hf: string): string | undefined {
  const m = /^model\.layers\.(\d+)\.(.+)$/.exec(hf);
  if (!m) return TOP_NAMES[hf];
  const rest = LAYER_NAMES[m[2]!];
  return rest && `blk.${m[1]}.${rest}`;
}

/**
 * The tensors of a GGUF file under transformers' names. Matrices stay in their file encoding;
 * llama.cpp's interleaved q/k row order (Llama's RoPE layout) is undone row by row, as
 * transformers' reverse_permute does.
 */
export class GgufTensors implements TensorSource {
  private readonly permuted = new Set<string>();

  constructor(
    private readonly header: GgufHeader,
    /** The file's bytes; a fresh view each call when they live in the kernels' (growable) memory. */
    private readonly fileBytes: () => Uint8Array,
    readonly file: string,
    /** Heads per permuted tensor ("attn_q" → num heads, "attn_k" → kv heads); empty when not permuted. */
    private readonly permuteHeads: ReadonlyMap<string, number>,
    /** Where matrices go; none: they stay in `bytes` and use the scalar twin. */
    private readonly kernels?: WasmKernels,
  ) {}

  get(name: string, shape?: readonly number[]): Float32Array {
    const { info, rows, cols } = this.find(name, shape);
    const out = new Float32Array(rows * cols);
    const rowBytes = info.byteLength / rows;
    const order = this.rowOrder(info, rows);
    const bytes = this.fileBytes();
    for (let r = 0; r < rows; r++) dequantize(info.type, bytes, info.begin + order[r]! * rowBytes, cols, out, r * cols);
    if (rows > 1) return out;
    // A 1-D q/k bias is permuted element by element.
    const elems = this.rowOrder(info, cols);
    return Float32Array.from(elems, (from) => out[from]!);
  }

  matrix(name: string, shape: readonly number[]): Matrix {
    const { info, rows, cols } = this.find(name, shape);
    const rowBytes = info.byteLength / rows;
    const order = this.rowOrder(info, rows);
    let data = this.fileBytes().subarray(info.begin, info.begin + info.byteLength);
    if (order.some((v, i) => v !== i) && !this.permuted.has(info.name)) {
      // Bytes read into the kernels' memory are ours: reorder them there, so they stay uncopied.
      const from = data.buffer === this.kernels?.memory.buffer ? data.slice() : data;
      if (from === data) data = new Uint8Array(info.byteLength);
      else this.permuted.add(info.name);
      for (let r = 0; r < rows; r++) data.set(from.subarray(order[r]! * rowBytes, (order[r]! + 1) * rowBytes), r * rowBytes);
    }
    return new QuantMatrix(info.type, rows, cols, data, this.kernels);
  }

  private find(name: string, shape?: readonly number[]): { info: TensorInfo; rows: number; cols: number } {
    const gname = ggufName(name);
    const info = gname ? this.header.tensors.get(gname) : undefined;
    if (!info) {
      throw new GgufError(`${this.file}: tensor ${gname ?? name} (transformers' ${name}) is missing`, this.file, gname ?? name);
    }
    const hfShape = [...info.dims].reverse();
    if (shape && (shape.length !== hfShape.length || shape.some((d, i) => d !== hfShape[i]))) {
      throw new GgufError(
        `${this.file}: tensor ${info.name} has shape [${hfShape}] but the metadata implies [${shape}]`,
        this.file,
        info.name,
      );
    }
    const size = this.fileBytes().byteLength;
    if (info.begin + info.byteLength > size) {
      throw new GgufError(
        `${this.file}: tensor ${info.name} ends at byte ${info.begin + info.byteLength} but the file has ${size} (truncated download?); delete it from the cache and load again`,
        this.file,
        info.name,
      );
    }
    const cols = info.dims[0]!;
    return { info, rows: hfShape.length === 1 ? 1 : info.dims.slice(1).reduce((a, b) => a * b, 1), cols };
  }

  /** order[hfRow] = file row: (head, half, i) in transformers is (head, i, half) in llama.cpp. */
  private rowOrder(info: TensorInfo, rows: number): Int32Array {
    const order = new Int32Array(rows).map((_, i) => i);
    const key = /^blk\.\d+\.(attn_[qk])\.(weight|bias)$/.exec(info.name)?.[1];
    const heads = key && this.permuteHeads.get(key);
    if (!heads) return order;
    const per = rows / heads;
    const half = per / 2;
    for (let h = 0; h < heads; h++) {
      for (let j = 0; j < 2; j++) for (let i = 0; i < half; i++) order[h * per + j * half + i] = h * per + i * 2 + j;
    }
    return order;
  }
}
