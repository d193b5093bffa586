"""fp32 ONNX graph + the Q4_1 GGUF it came from -> an exact 4-bit graph (onnx/model_q4.onnx).

Q4_1 stores each block of 32 weights (along the input dimension) as d*q + m, q in 0..15. The usual
recipe (symmetric q4 of the dequantized weights) re-rounds them and the model diverges within a
few tokens. Here each MatMul whose weight came from a Q4_1 tensor becomes a MatMulNBits with the
block's own q, its scale d, and a float zero point -m/d, so (q - zp) * d = d*q + m: the weights
transformers computes with, to float rounding. Weights from other tensor types stay float.

usage: q4_exact.py GGUF MODEL_ONNX OUT_ONNX
"""

import sys

import gguf
import numpy as np
import onnx
from onnx import helper, numpy_helper

BLOCK = 32


def q4_1_blocks(tensor) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(d, m, q) of a Q4_1 tensor, rows = output features: d, m [rows, blocks]; q [rows, blocks, 32]."""
    raw = np.asarray(tensor.data, dtype=np.uint8)
    rows = raw.shape[0]
    blocks = raw.reshape(rows, -1, 20)
    d = blocks[..., 0:2].copy().view(np.float16)[..., 0].astype(np.float32)
    m = blocks[..., 2:4].copy().view(np.float16)[..., 0].astype(np.float32)
    qs = blocks[..., 4:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)  # elements 0-15 low nibbles, 16-31 high
    return d, m, q


def gguf_rows(path: str) -> dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Every Q4_1 row's dequantized float32 bytes -> its (d, m, q) blocks."""
    rows = {}
    for t in gguf.GGUFReader(path).tensors:
        if t.tensor_type != gguf.GGMLQuantizationType.Q4_1:
            continue
        d, m, q = q4_1_blocks(t)
        deq = (d[..., None] * q.astype(np.float32) + m[..., None]).reshape(d.shape[0], -1)
        for r in range(deq.shape[0]):
            rows[deq[r].tobytes()] = (d[r], m[r], q[r])
    return rows


def matmul_nbits(node, weight: np.ndarray, rows: dict, graph) -> bool:
    """Replace node (MatMul X, W[K, N]) in place by MatMulNBits when every column of W is a Q4_1 row."""
    k, n = weight.shape
    if k % BLOCK:
        return False
    cols = np.ascontiguousarray(weight.T)
    found = [rows.get(cols[j].tobytes()) for j in range(n)]
    if any(f is None for f in found):
        return False
    d = np.stack([f[0] for f in found])  # [N, K/32]
    m = np.stack([f[1] for f in found])
    q = np.stack([f[2] for f in found])  # [N, K/32, 32]
    if np.any(d == 0):
        return False  # a zero scale cannot carry the offset m: keep this weight in float
    packed = (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)  # [N, K/32, 16], low nibble first
    base = node.input[1]
    inits = [
        numpy_helper.from_array(packed, base + "_Q4"),
        numpy_helper.from_array(d.reshape(-1).astype(np.float32), base + "_scales"),
        numpy_helper.from_array((-m / d).reshape(-1).astype(np.float32), base + "_zp"),
    ]
    graph.initializer.extend(inits)
    new = helper.make_node(
        "MatMulNBits",
        [node.input[0], base + "_Q4", base + "_scales", base + "_zp"],
        list(node.output),
        name=(node.name or base) + "_Q4",
        domain="com.microsoft",
        K=k,
        N=n,
        bits=4,
        block_size=BLOCK,
    )
    node.CopyFrom(new)
    return True


def main() -> None:
    gguf_path, src, out = sys.argv[1:4]
    rows = gguf_rows(gguf_path)
    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    converted, kept = 0, 0
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in inits:
            continue
        weight = numpy_helper.to_array(inits[node.input[1]])
        if weight.ndim == 2 and weight.dtype == np.float32 and matmul_nbits(node, weight, rows, graph):
            converted += 1
        else:
            kept += 1
    used = {i for n in graph.node for i in n.input}
    kept_inits = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept_inits)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, out)
    print(f"q4: {converted} MatMuls -> MatMulNBits (exact Q4_1 blocks), {kept} left in float -> {out}")
    if converted == 0:
        sys.exit("no MatMul weight matched a Q4_1 row: the graph was not exported from this GGUF")


if __name__ == "__main__":
    main()
