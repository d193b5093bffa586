"""Build-time check: onnxruntime (CPU) greedy replies of the fp32 and q4 graphs equal transformers'
on the first test prompt. A q4 recipe that re-rounds the Q4_1 weights fails here.

usage: check_onnx.py ONNX_FOLDER TRUTH_JSON
"""

import json
import sys

import numpy as np
import onnxruntime as ort


def greedy(path: str, prompt: list[int], steps: int, eos: int) -> list[int]:
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    past = {i.name: np.zeros([1, i.shape[1], 0, i.shape[3]], np.float32) for i in sess.get_inputs() if i.name.startswith("past")}
    out_names = [o.name for o in sess.get_outputs()]
    ids, fed, total = [], prompt, 0
    for _ in range(steps):
        total += len(fed)
        feeds = {"input_ids": np.array([fed], np.int64), "attention_mask": np.ones([1, total], np.int64), **past}
        if "position_ids" in names:
            feeds["position_ids"] = np.arange(total - len(fed), total, dtype=np.int64)[None]
        outs = dict(zip(out_names, sess.run(None, feeds)))
        past = {n.replace("present", "past_key_values"): v for n, v in outs.items() if n.startswith("present")}
        tok = int(outs["logits"][0, -1].argmax())
        if tok == eos:
            break
        ids.append(tok)
        fed = [tok]
    return ids


def main() -> None:
    folder, truth_path = sys.argv[1], sys.argv[2]
    truth = json.load(open(truth_path))
    case = truth["cases"][0]
    for graph in ("model.onnx", "model_q4.onnx"):
        got = greedy(f"{folder}/onnx/{graph}", case["prompt_ids"], len(case["completion_ids"]) + 1, truth["eos_token_id"])
        if got != case["completion_ids"]:
            sys.exit(f"{graph}: onnxruntime greedy ids {got} differ from transformers' {case['completion_ids']}")
        print(f"check: {graph} reproduces transformers on {case['name']!r}")


if __name__ == "__main__":
    main()
