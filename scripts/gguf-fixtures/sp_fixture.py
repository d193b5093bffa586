"""A tiny random Llama GGUF with a SentencePiece-style tokenizer, and transformers' truth on it.

The vocabulary is laid out as llama.cpp writes a Llama-2 SentencePiece model (tokenizer.ggml.model
"llama"): <unk> (type 2), <s> and </s> (control, 3), the 256 byte-fallback pieces <0x00>..<0xFF>
(byte, 6), then pieces with "▁" for space and a score each (normal, 1). The pieces come from a
small BPE trained here on TEXT, as SentencePiece's BPE trainer scores them (the k-th merge scores
-k, single characters after all merges); characters missing from TEXT (CJK, emoji) fall back to
bytes. transformers loads the file with from_pretrained(gguf_file=...): its tokenizer ids and
decoded text for the tokenizer test texts, a chat prompt's ids, and the model's logits at every
prompt position and greedy continuation are the truth.

Usage: python sp_fixture.py OUT_DIR TEXTS_JSON
"""

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T

from make_fixtures import HEADS, HEAD_DIM, HIDDEN, INTER, KV_HEADS, LAYERS, matrix

TEXT = """
The harbour wakes before the town does. Fishing boats come in at dawn, and the market opens at
seven; by eight the cafes are full and the ferry to the island leaves twice an hour. It's a small
place, but they don't mind: the cat's favourite spot is the warm stone by the bakery door.
What is the capital of France? Paris is the capital of France, and Rome is the capital of Italy.
Numbers: 0 1 2 3 4 5 6 7 8 9, 10, 42, 100, 2026, 3.14 and 1,000. Prices rose 7% in 2025!
Code: {"a": 1, "b": [2, 3]} <tag> x_y = f(x) # comment @user -- done... (maybe) | pipe |>
THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG. the quick brown fox jumps over the lazy dog.
I'm sure we'll see they've gone; I'd say you're right, isn't it? Zebra, zebra, zebras.
Café, naïve, résumé: a few accented words, and Ω for good measure.
"""
MERGES = 200
PROMPT_TEXT = "The capital of France is"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
NEW_TOKENS = 8
# Llama-2's template, shortened: the bos token, [INST] turns, eos after each answer.
TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}[INST] {{ m['content'] }} [/INST]"
    "{% else %} {{ m['content'] }}{{ eos_token }}{% endif %}{% endfor %}"
)
UNKNOWN, CONTROL, BYTE, NORMAL = 2, 3, 6, 1


def train_bpe(text: str, merges: int):
    """SentencePiece-style BPE: words are ▁-prefixed runs; returns pieces and scores, best first."""
    words = Counter("▁" + w for w in text.split())
    chars = sorted({c for w in words for c in w})
    seqs = {w: list(w) for w in words}
    pieces = []
    for _ in range(merges):
        pairs = Counter()
        for w, n in words.items():
            s = seqs[w]
            for a, b in zip(s, s[1:]):
                pairs[a, b] += n
        if not pairs:
            break
        (a, b), _ = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
        pieces.append(a + b)
        for w in words:
            s, out, i = seqs[w], [], 0
            while i < len(s):
                if i + 1 < len(s) and s[i] == a and s[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(s[i])
                    i += 1
            seqs[w] = out
    pieces = list(dict.fromkeys(pieces))
    chars = [c for c in chars if c not in pieces]
    return pieces + chars, [-float(i) for i in range(len(pieces) + len(chars))]


def vocabulary():
    pieces, scores = train_bpe(TEXT, MERGES)
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)] + pieces
    return tokens, [0.0] * 259 + scores, [UNKNOWN, CONTROL, CONTROL] + [BYTE] * 256 + [NORMAL] * len(pieces)


def write(path: Path, seed: int):
    rng = np.random.default_rng(seed)
    tokens, scores, types = vocabulary()
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
    w.add_vocab_size(len(tokens))
    w.add_tokenizer_model("llama")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_unk_token_id(0)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    w.add_add_space_prefix(True)
    w.add_chat_template(TEMPLATE)

    def tensor(name, rows, cols):
        data, raw = matrix(rng, T.Q8_0, rows, cols)
        w.add_tensor(name, data, raw_dtype=raw)

    def norm(name):
        w.add_tensor(name, (1 + rng.normal(0, 0.1, HIDDEN)).astype(np.float32))

    tensor("token_embd.weight", len(tokens), HIDDEN)
    for i in range(LAYERS):
        norm(f"blk.{i}.attn_norm.weight")
        tensor(f"blk.{i}.attn_q.weight", HEADS * HEAD_DIM, HIDDEN)
        tensor(f"blk.{i}.attn_k.weight", KV_HEADS * HEAD_DIM, HIDDEN)
        tensor(f"blk.{i}.attn_v.weight", KV_HEADS * HEAD_DIM, HIDDEN)
        tensor(f"blk.{i}.attn_output.weight", HIDDEN, HEADS * HEAD_DIM)
        norm(f"blk.{i}.ffn_norm.weight")
        tensor(f"blk.{i}.ffn_gate.weight", INTER, HIDDEN)
        tensor(f"blk.{i}.ffn_up.weight", INTER, HIDDEN)
        tensor(f"blk.{i}.ffn_down.weight", HIDDEN, INTER)
    norm("output_norm.weight")
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def truth(path: Path, texts: list[str]):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    ids = [tok.encode(t, add_special_tokens=False) for t in texts]
    model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
    model.eval()
    prompt = tok.encode(PROMPT_TEXT)
    x = torch.tensor([prompt])
    chat = tok.apply_chat_template(MESSAGES, tokenize=True)
    with torch.no_grad():
        logits = model(x).logits[0]
        out = model.generate(x, max_new_tokens=NEW_TOKENS, do_sample=False, eos_token_id=None, pad_token_id=0)
        chat_out = model.generate(torch.tensor([chat]), max_new_tokens=NEW_TOKENS, do_sample=False, eos_token_id=None, pad_token_id=0)
    reply = chat_out[0, len(chat) :].tolist()
    reply = reply[: reply.index(2)] if 2 in reply else reply
    # As vLLM detokenizes: the reply's text after the prompt's last token (its leading "▁" stays a space).
    after = tok.decode(chat[-1:] + reply)[len(tok.decode(chat[-1:])) :]
    return {
        "texts": texts,
        "text_ids": ids,
        "decoded": [tok.decode(i) for i in ids],
        "prompt_text": PROMPT_TEXT,
        "prompt": prompt,
        "logits": logits.tolist(),
        "greedy": out[0, len(prompt) :].tolist(),
        "greedy_text": tok.decode(out[0, len(prompt) :]),
        "messages": MESSAGES,
        "chat_ids": chat,
        "chat_reply": reply,
        "chat_reply_text": after,
        "tokenizer_json": json.loads(tok.backend_tokenizer.to_str()),
    }


def main():
    out, texts_json = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    path = out / "tiny-llama-sp.gguf"
    write(path, 100)
    (out / "tiny-llama-sp.json").write_text(json.dumps(truth(path, json.loads(texts_json.read_text()))))
    print("tiny-llama-sp written")


if __name__ == "__main__":
    main()
