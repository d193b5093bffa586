#!/usr/bin/env bash
# Waits until a vLLM server answers GET /health. Usage: scripts/vllm/wait-ready.sh PORT [TIMEOUT_S] [PID]
# Fails with a clear line on timeout, or at once when the server's process (PID) has exited.
set -uo pipefail
port=$1 timeout=${2:-600} pid=${3:-}
for ((i = 0; i < timeout; i += 2)); do
  if curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; then echo "vLLM ready on port $port after ${i}s"; exit 0; fi
  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then echo "vLLM on port $port exited before it was ready" >&2; exit 1; fi
  sleep 2
done
echo "vLLM on port $port not ready after ${timeout}s" >&2
exit 1
