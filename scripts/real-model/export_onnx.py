"""HF folder -> transformers.js folder: onnx/model.onnx (optimum, text-generation-with-past) + the
tokenizer and config files beside it, with transformers.js_config naming the graphs.

usage: export_onnx.py HF_DIR OUT_DIR
"""

import json
import shutil
import sys
from pathlib import Path

from optimum.exporters.onnx import main_export

FILES = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]


def main() -> None:
    hf, out = Path(sys.argv[1]), Path(sys.argv[2])
    raw = out / "_export"
    main_export(str(hf), output=str(raw), task="text-generation-with-past", device="cpu", no_post_process=False)
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    for f in raw.glob("model.onnx*"):
        shutil.move(str(f), out / "onnx" / f.name)
    shutil.rmtree(raw)
    for name in FILES:
        shutil.copy(hf / name, out / name)
    external = (out / "onnx" / "model.onnx_data").exists()
    cfg = json.loads((out / "config.json").read_text())
    cfg["transformers.js_config"] = {"use_external_data_format": {"model.onnx": external, "model_q4.onnx": False}}
    (out / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    print(f"onnx: {out}/onnx/model.onnx (external data: {external})")


if __name__ == "__main__":
    main()
