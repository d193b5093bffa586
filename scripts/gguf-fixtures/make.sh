#!/usr/bin/env bash
# Tiny GGUFs in every block type + transformers' logits for them, a tiny SentencePiece-tokenizer
# GGUF + transformers' ids, text and logits for it, and transformers' greedy ids, logits and
# tokenizer ids on the real SmolLM2 Q4_1 GGUF, into the shared cache:
# $CACHE/gguf-fixtures/<hash of the scripts>/ (the tests look there). Built in a temp dir and
# renamed, so two runs at once never see half a folder. Needs the real-model venv (torch +
# transformers 4.57.6 + gguf), which scripts/real-model/venv.sh builds when missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${WEBGPU_CHAT_ENGINE_CACHE:-$HOME/.cache/webgpu-chat-engine}"
hash=$(cat "$here/make_fixtures.py" "$here/real_truth.py" "$here/sp_fixture.py" | sha256sum | cut -c1-12)
gguf="$cache/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
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
if [ ! -f "$cache/smollm2/.gguf-ready" ]; then
  [ -f "$here/../real-model/gguf.sh" ] || { echo "no $gguf and no scripts/real-model/gguf.sh to fetch it" >&2; exit 1; }
  bash "$here/../real-model/gguf.sh"
fi
mkdir -p "$cache/gguf-fixtures"
tmp=$(mktemp -d "$cache/gguf-fixtures/.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$venv/bin/python" "$here/make_fixtures.py" "$tmp" 2>&1 | grep -v "de-quantizing\|deprecated" || true
[ -f "$tmp/tiny-llama-Q6_K.json" ] || { echo "make_fixtures.py did not finish" >&2; exit 1; }
npx tsx "$here/dump-texts.ts" "$tmp/texts.json" "$tmp/texts-sp.json"
(cd "$here" && "$venv/bin/python" sp_fixture.py "$tmp" "$tmp/texts-sp.json") 2>&1 | grep -v "de-quantizing\|deprecated\|legacy\|Merges were not\|it/s" || true
[ -f "$tmp/tiny-llama-sp.json" ] || { echo "sp_fixture.py did not finish" >&2; exit 1; }
"$venv/bin/python" "$here/real_truth.py" "$gguf" "$tmp/texts.json" "$tmp" 2>&1 | grep -v "de-quantizing\|deprecated" || true
[ -f "$tmp/smollm2-truth.json" ] || { echo "real_truth.py did not finish" >&2; exit 1; }
touch "$tmp/.ready"
mv -T "$tmp" "$out" 2>/dev/null || { rm -rf "$tmp"; [ -f "$out/.ready" ]; }
trap - EXIT
echo "gguf fixtures: $out"
