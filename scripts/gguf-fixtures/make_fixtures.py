"""Tiny random Llama GGUFs, one per tensor type, and transformers' logits for them.

Each file holds random blocks of its type (any bytes are a valid block once the scale fields are
sane f16 values), written with the `gguf` package. transformers loads the file with
from_pretrained(gguf_file=...), dequantizing with gguf-py, and its float32 logits for a fixed prompt
(every position) and greedy continuation are the truth the TypeScript loader is held to.

Usage: python make_fixtures.py OUT_DIR
"""

import json
import sys
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T

HIDDEN, INTER, LAYERS, HEADS, KV_HEADS = 256, 512, 2, 4, 2
HEAD_DIM = HIDDEN // HEADS
PROMPT = [5, 71, 200, 33, 258, 140, 12, 99]
NEW_TOKENS = 8

# Block size in bytes, and for quantized types: where f16 scale fields sit and their ranges.
BLOCKS = {
    T.Q4_0: (18, [(0, 0.005, 0.015)]),
    T.Q4_1: (20, [(0, 0.005, 0.015), (2, -0.12, -0.04)]),
    T.Q5_0: (22, [(0, 0.0025, 0.0075)]),
    T.Q5_1: (24, [(0, 0.0025, 0.0075), (2, -0.12, -0.04)]),
    T.Q8_0: (34, [(0, 0.0003, 0.001)]),
    T.Q4_K: (144, [(0, 0.0002, 0.0005), (2, 0.0002, 0.0005)]),
    T.Q5_K: (176, [(0, 0.0001, 0.00025), (2, 0.0001, 0.00025)]),
    T.Q6_K: (210, [(208, 0.00002, 0.00004)]),
}
TYPES = [T.F32, T.F16, T.BF16, *BLOCKS]


def byte_tokens():
    """GPT-2's printable spelling of the 256 bytes."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    spelled = dict(zip(bs, (chr(c) for c in cs)))
    return [spelled[b] for b in range(256)]


MERGES = ["Ġ t", "h e", "Ġt he"]
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
TOKENS = byte_tokens() + ["Ġt", "he", "Ġthe"] + SPECIALS
TEMPLATE = "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"


def matrix(rng, qtype, rows, cols):
    """A [rows, cols] tensor of `qtype`: (array to write, raw dtype or None)."""
    if qtype == T.F32:
        return rng.normal(0, 0.05, (rows, cols)).astype(np.float32), None
    if qtype == T.F16:
        return rng.normal(0, 0.05, (rows, cols)).astype(np.float16), None
    if qtype == T.BF16:
        f = rng.normal(0, 0.05, (rows, cols)).astype(np.float32)
        return (f.view(np.uint32) >> 16).astype(np.uint16).view(np.uint8).reshape(rows, cols * 2), T.BF16
    size, scales = BLOCKS[qtype]
    per = gguf.GGML_QUANT_SIZES[qtype][0]
    blocks = rng.integers(0, 256, (rows * cols // per, size), dtype=np.uint8)
    for at, lo, hi in scales:
        blocks[:, at : at + 2] = rng.uniform(lo, hi, len(blocks)).astype(np.float16).view(np.uint8).reshape(-1, 2)
    return blocks.reshape(rows, -1), qtype


def write(path: Path, qtype, seed: int):
    rng = np.random.default_rng(seed)
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_block_count(LAYERS)
    w.add_context_length(256)
    w.add_embedding_length(HIDDEN)
    w.add_feed_forward_length(INTER)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_freq_base(10000.0)
    w.add_rope_dimension_count(HEAD_DIM)
    w.add_vocab_size(len(TOKENS))
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt2")
    w.add_token_list(TOKENS)
    w.add_token_types([1] * (len(TOKENS) - len(SPECIALS)) + [3] * len(SPECIALS))
    w.add_token_merges(MERGES)
    w.add_bos_token_id(TOKENS.index("<|im_start|>"))
    w.add_eos_token_id(TOKENS.index("<|im_end|>"))
    w.add_add_bos_token(False)
    w.add_chat_template(TEMPLATE)

    def tensor(name, rows, cols):
        data, raw = matrix(rng, qtype, rows, cols)
        w.add_tensor(name, data, raw_dtype=raw)

    def norm(name):
        w.add_tensor(name, (1 + rng.normal(0, 0.1, HIDDEN)).astype(np.float32))

    tensor("token_embd.weight", len(TOKENS), HIDDEN)
    for i in range(LAYERS):
        norm(f"blk.{i}.attn_norm.weight")
        tensor(f"blk.{i}.attn_q.weight", HEADS * HEAD_DIM, HIDDEN)
        tensor(f"blk.{i}.attn_k.weight", KV_HEADS * HEAD_DIM, HIDDEN)
        tensor(f"blk.{i}.attn_v.weight", KV_HEADS * HEAD_DIM, HIDDEN)
        tensor(f"blk.{i}.attn_output.weight", HIDDEN, HEADS * HEAD_DIM)
        norm(f"blk.{i}.ffn_norm.weight")
        tensor(f"blk.{i}.ffn_gate.weight", INTER, HIDDEN)
        tensor(f"blk.{i}.ffn_up.weight", INTER, HIDDEN)
        # ffn_down's rows are HIDDEN long only when INTER is; its row length is INTER (a multiple of 256).
        tensor(f"blk.{i}.ffn_down.weight", HIDDEN, INTER)
    norm("output_norm.weight")
    tensor("output.weight", len(TOKENS), HIDDEN)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def truth(path: Path):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, torch_dtype=torch.float32)
    model.eval()
    ids = torch.tensor([PROMPT])
    with torch.no_grad():
        logits = model(ids).logits[0]
        out = model.generate(ids, max_new_tokens=NEW_TOKENS, do_sample=False, eos_token_id=None, pad_token_id=0)
    return {"prompt": PROMPT, "logits": logits.tolist(), "greedy": out[0, len(PROMPT) :].tolist()}


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for seed, qtype in enumerate(TYPES):
        name = f"tiny-llama-{qtype.name}"
        write(out / f"{name}.gguf", qtype, seed)
        (out / f"{name}.json").write_text(json.dumps(truth(out / f"{name}.gguf")))
        print(name, "written")


if __name__ == "__main__":
    main()
