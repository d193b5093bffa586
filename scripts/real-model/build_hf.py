"""GGUF -> Hugging Face folder (safetensors + a Hub-form GPT-2 tokenizer).

transformers dequantizes the Q4_1 GGUF to float32 on load. The tokenizer it saves from a GGUF is
wrong for the engine (LlamaTokenizer, eos <|im_start|>, a BOS post-processor, a byte-fallback
decoder), so the tokenizer is rebuilt from the GGUF's vocabulary and merges in the form the Hub
ships for SmolLM2 (ByteLevel + individual Digits, eos <|im_end|>), and its ids are checked
against the GGUF tokenizer's on the test prompts.

usage: build_hf.py GGUF OUT_DIR
"""

import json
import sys
from pathlib import Path

import gguf
import torch
from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerFast

from prompts import PROMPTS

BOS, EOS, UNK = "<|im_start|>", "<|im_end|>", "<|endoftext|>"


def gguf_fields(path: Path) -> dict:
    reader = gguf.GGUFReader(str(path))
    out = {}
    for name in ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type"):
        field = reader.fields[name]
        out[name] = [field.contents(i) for i in range(len(field.data))]
    out["tokenizer.chat_template"] = reader.fields["tokenizer.chat_template"].contents()
    out["context_length"] = int(reader.fields["llama.context_length"].contents())
    return out


def hub_tokenizer(fields: dict) -> PreTrainedTokenizerFast:
    tokens = fields["tokenizer.ggml.tokens"]
    vocab = {tok: i for i, tok in enumerate(tokens)}
    merges = [tuple(m.split(" ", 1)) for m in fields["tokenizer.ggml.merges"]]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token=None, fuse_unk=False, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]
    )
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.decoder = decoders.ByteLevel()
    # token_type 3 = control: the special tokens (<|endoftext|>, <|im_start|>, <|im_end|>, <repo_name>, ...)
    specials = [t for t, kind in zip(tokens, fields["tokenizer.ggml.token_type"]) if kind == 3]
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=BOS,
        eos_token=EOS,
        unk_token=UNK,
        pad_token=EOS,
        additional_special_tokens=[t for t in specials if t not in (BOS, EOS, UNK)],
        model_max_length=fields["context_length"],
        clean_up_tokenization_spaces=False,
        add_prefix_space=False,
        chat_template=fields["tokenizer.chat_template"],
    )


def main() -> None:
    gguf_path, out = Path(sys.argv[1]), Path(sys.argv[2])
    fields = gguf_fields(gguf_path)
    model = AutoModelForCausalLM.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name, dtype=torch.float32)
    gguf_tok = AutoTokenizer.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name)
    tok = hub_tokenizer(fields)
    bos, eos = tok.convert_tokens_to_ids(BOS), tok.convert_tokens_to_ids(EOS)
    model.config.bos_token_id, model.config.eos_token_id, model.config.pad_token_id = bos, eos, eos
    model.generation_config.bos_token_id, model.generation_config.eos_token_id = bos, eos
    model.generation_config.pad_token_id = eos
    model.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)
    # The template in tokenizer_config.json too (the engine and transformers.js read it there).
    cfg_path = out / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["chat_template"] = fields["tokenizer.chat_template"]
    cfg["tokenizer_class"] = "GPT2Tokenizer"
    cfg_path.write_text(json.dumps(cfg, indent=2, ensure_ascii=False) + "\n")
    (out / "chat_template.jinja").unlink(missing_ok=True)

    # The rebuilt tokenizer must give transformers' own ids for every test prompt.
    saved = AutoTokenizer.from_pretrained(out)
    for p in PROMPTS:
        text = saved.apply_chat_template(p["messages"], tokenize=False, add_generation_prompt=True)
        ours = saved(text, add_special_tokens=False)["input_ids"]
        theirs = gguf_tok(text, add_special_tokens=False)["input_ids"]
        if ours != theirs:
            sys.exit(f"tokenizer mismatch on {p['name']}: {ours[:20]} vs {theirs[:20]}")
        if saved.decode(ours) != text:
            sys.exit(f"tokenizer does not round-trip {p['name']}")
    print(f"hf: {out} (tokenizer ids equal the GGUF tokenizer's on {len(PROMPTS)} prompts)")


if __name__ == "__main__":
    main()
