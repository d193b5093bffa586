"""transformers on the real GGUF (SmolLM2-135M-Instruct Q4_1): what the TypeScript loader is held to.

Writes OUT_DIR/smollm2-truth.json: for each prompt, the chat-templated prompt ids (transformers' GGUF
tokenizer), the last prompt position's float32 logits (base64) and the greedy continuation; and the
ids of TEXTS_JSON's texts under that tokenizer ("text_ids") and under the Hub's form of SmolLM2's
tokenizer ("hub_text_ids": the `tokenizers` library's BPE over the file's vocabulary and merges with
the Hub tokenizer.json's pre-tokenizer, individual Digits then ByteLevel, which transformers 4.57's
GGUF converter leaves out: it differs on digit runs next to whitespace, e.g. "\r\n0").

Usage: python real_truth.py GGUF TEXTS_JSON OUT_DIR
"""

import base64
import json
import sys
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

PROMPTS = [
    [{"role": "user", "content": "What is the capital of France?"}],
    [
        {"role": "system", "content": "You are a pirate. Answer in one short sentence."},
        {"role": "user", "content": "Where is the treasure?"},
    ],
    [
        {"role": "user", "content": "My name is Ada."},
        {"role": "assistant", "content": "Nice to meet you, Ada!"},
        {"role": "user", "content": "What is my name?"},
    ],
]
NEW_TOKENS = 12


def main():
    gguf, texts_json, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    model.eval()
    prompts = []
    for messages in PROMPTS:
        ids = tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
        x = torch.tensor([ids])
        with torch.no_grad():
            last = model(x).logits[0, -1].numpy().astype(np.float32)
            gen = model.generate(x, max_new_tokens=NEW_TOKENS, do_sample=False, eos_token_id=None, pad_token_id=0)
        prompts.append(
            {
                "messages": messages,
                "ids": ids,
                "last_logits_f32_base64": base64.b64encode(last.tobytes()).decode(),
                "greedy": gen[0, len(ids) :].tolist(),
            }
        )
    texts = json.loads(texts_json.read_text())
    encoded = [tok.encode(t, add_special_tokens=False) for t in texts]
    hub = hub_form(gguf)
    hub_ids = [hub.encode(t, add_special_tokens=False).ids for t in texts]
    (out / "smollm2-truth.json").write_text(
        json.dumps({"prompts": prompts, "texts": texts, "text_ids": encoded, "hub_text_ids": hub_ids})
    )


def hub_form(gguf: Path):
    """SmolLM2's tokenizer as the Hub ships it, from the file's own vocabulary, merges and token types."""
    from gguf import GGUFReader
    from tokenizers import AddedToken, Tokenizer, models, pre_tokenizers

    r = GGUFReader(str(gguf))
    field = lambda k: [bytes(r.fields[k].parts[i]).decode() for i in r.fields[k].data]
    tokens, merges = field("tokenizer.ggml.tokens"), field("tokenizer.ggml.merges")
    types = [int(r.fields["tokenizer.ggml.token_type"].parts[i][0]) for i in r.fields["tokenizer.ggml.token_type"].data]
    t = Tokenizer(models.BPE({s: i for i, s in enumerate(tokens)}, [tuple(m.split(" ", 1)) for m in merges]))
    t.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]
    )
    t.add_special_tokens([AddedToken(s, normalized=False, special=True) for s, k in zip(tokens, types) if k == 3])
    return t


if __name__ == "__main__":
    main()
