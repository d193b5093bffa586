#!/usr/bin/env bash
# Step 2: the Python venv that converts the model (shared; other tools use it too).
# transformers 4.57.6 (5.x refuses to save a model loaded from a GGUF), optimum-onnx 0.1.0 (ONNX
# export), onnxruntime + onnx_ir (quantizer / checks), gguf + accelerate (GGUF loading).
# Output: $VENV with $VENV/.ready when complete. A venv hard-codes its own path, so it is built in
# place under a lock (flock) instead of renamed; .ready is written last.
set -euo pipefail
source "$(dirname "$0")/common.sh"
[ -f "$VENV/.ready" ] && exit 0
exec 9>"$CACHE_ROOT/real-venv.lock"
flock 9
[ -f "$VENV/.ready" ] && exit 0
rm -rf "$VENV"
"$PYTHON_BIN" -m venv "$VENV"
# The venv's own pip 23.2 backtracks through every transformers wheel for 10+ minutes: upgrade first.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -U pip
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
  torch "transformers==4.57.6" "optimum-onnx==0.1.0" onnxruntime onnx_ir gguf accelerate
touch "$VENV/.ready"
echo "venv: $VENV"
