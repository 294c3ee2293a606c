#!/usr/bin/env bash
# Create ./.venv (when missing) and install the project into it with pip.
# Usage: infra/venv.sh [EXTRAS]   e.g. infra/venv.sh test
# pip (not uv/poetry): torch==2.14.1 / torchvision==0.29.1 come from the local wheel store here.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "invoice-ocr: creating .venv with $($python --version)" >&2
    "$python" -m venv .venv
fi
spec="."
[ -n "$extras" ] && spec=".[$extras]"
# A marker keyed on pyproject.toml skips the (slow) resolver when nothing changed.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${extras:-base}"
if [ ! -f "$stamp" ]; then
    echo "invoice-ocr: installing $spec into .venv (first time: several minutes, torch is large)" >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec" 2>&1 \
        | grep -v "is ignored: it is neither a file nor a directory" || true
    .venv/bin/python -c "import pipeline, cli" 
    rm -f .venv/.installed-* && touch "$stamp"
fi
