#!/usr/bin/env bash
# Tiny GGUFs in every block type + transformers' logits for them, into the shared cache:
# $CACHE/gguf-fixtures/<hash of make_fixtures.py>/ (the tests look there). Built in a temp dir and
# renamed, so two runs at once never see half a folder. Needs the real-model venv (torch +
# transformers 4.57.6 + gguf), which scripts/real-model/venv.sh builds when missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${WEBGPU_CHAT_ENGINE_CACHE:-$HOME/.cache/webgpu-chat-engine}"
hash=$(sha256sum "$here/make_fixtures.py" | cut -c1-12)
out="$cache/gguf-fixtures/$hash"
[ -f "$out/.ready" ] && exit 0
venv="$cache/real-venv"
if [ ! -f "$venv/.ready" ]; then
  if [ -x "$here/../real-model/venv.sh" ] || [ -f "$here/../real-model/venv.sh" ]; then
    bash "$here/../real-model/venv.sh"
  else
    echo "no venv at $venv and no scripts/real-model/venv.sh to build it" >&2
    exit 1
  fi
fi
mkdir -p "$cache/gguf-fixtures"
tmp=$(mktemp -d "$cache/gguf-fixtures/.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$venv/bin/python" "$here/make_fixtures.py" "$tmp" 2>&1 | grep -v "de-quantizing\|deprecated" || true
[ -f "$tmp/tiny-llama-Q6_K.json" ] || { echo "make_fixtures.py did not finish" >&2; exit 1; }
touch "$tmp/.ready"
mv -T "$tmp" "$out" 2>/dev/null || { rm -rf "$tmp"; [ -f "$out/.ready" ]; }
trap - EXIT
echo "gguf fixtures: $out"
