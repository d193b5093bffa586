#!/usr/bin/env bash
# Runs vLLM's OpenAI server (CPU, float32) on a local HF model folder, from the venv install.sh makes.
# Usage: scripts/vllm/serve.sh --model DIR --port P --name SERVED_NAME [--api-key KEY] [--qwen3] [-- EXTRA vLLM FLAGS]
#   --qwen3  adds Qwen3's tool and reasoning parsers (hermes, qwen3) with auto tool choice.
# Runs in the foreground (start it with `&` and poll /health, or use wait-ready.sh). Exits non-zero
# with a clear line when the venv or the model folder is missing.
set -euo pipefail
cache=${WGCE_CACHE:-$HOME/.cache/webgpu-chat-engine}
venv=${VLLM_VENV:-$cache/vllm-venv}
model="" port="" name="" key="" extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --model) model=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --api-key) key=$2; shift 2 ;;
    --qwen3) extra+=(--enable-auto-tool-choice --tool-call-parser hermes --reasoning-parser qwen3); shift ;;
    --) shift; extra+=("$@"); break ;;
    *) echo "serve.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$model" ] && [ -n "$port" ] && [ -n "$name" ] || { echo "serve.sh: --model, --port and --name are required" >&2; exit 2; }
[ -f "$venv/.ready" ] || { echo "serve.sh: no vLLM venv at $venv (run scripts/vllm/install.sh)" >&2; exit 1; }
[ -f "$model/config.json" ] || { echo "serve.sh: no model folder at $model (config.json missing)" >&2; exit 1; }
[ -n "$key" ] && extra+=(--api-key "$key")

# KV cache in GiB (vLLM's CPU default is far more than a tiny model needs); never reach the Hub.
export VLLM_CPU_KVCACHE_SPACE=${VLLM_CPU_KVCACHE_SPACE:-1} HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
export VLLM_NO_USAGE_STATS=1 DO_NOT_TRACK=1
exec "$venv/bin/python" -m vllm.entrypoints.openai.api_server \
  --model "$model" --host 127.0.0.1 --port "$port" --served-model-name "$name" \
  --dtype float32 --max-model-len 2048 "${extra[@]}"
