#!/usr/bin/env bash
# On a lent GPU machine (python3 with CUDA PyTorch; no registry): keep the kit part this call
# carried (.device-kit/N, made by bench/device/pack.sh) outside the checkout, where it stays while
# the machine is warm; once every part is there, install the kit and run the OCR benchmarks on the
# GPU. Figures go to stdout and to $OUT (the device tool brings that folder back).
#
# Usage: bash bench/device/run.sh N
set -euo pipefail
cd "$(dirname "$0")/../.."
part="$1"
home="${KIT_HOME:-/root/invoice-ocr-kit}"
out="${OUT:-$home/out}"
mkdir -p "$home/parts" "$out"
cp .device-kit/"$part"/* "$home/parts/"
# shellcheck disable=SC1091
. "$home/parts/MANIFEST"
have=$(find "$home/parts" -name 'kit.tar.xz.*' | wc -l)
if [ "$have" -lt "$PARTS" ]; then
    echo "invoice-ocr kit: part $part kept, $have of $PARTS here: carry the next one now"
    exit 0
fi
if [ ! -d "$home/x" ]; then
    cat "$home"/parts/kit.tar.xz.* > "$home/kit.tar.xz"
    echo "$SHA256  $home/kit.tar.xz" | sha256sum -c --quiet
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2], filter="data")' \
        "$home/kit.tar.xz" "$home/x"
    rm "$home/kit.tar.xz"
fi
site="$home/site"
python3 -m pip install --quiet --no-index --no-deps --no-compile --upgrade --target "$site" "$home"/x/wheels/*.whl
cp -r "$home"/x/site/* "$site/"
export PYTHONPATH="$site:$PWD" PATH="$home/x/tesseract/bin:$PATH" PYTHONUNBUFFERED=1
echo "invoice-ocr kit: $(python3 --version), $(tesseract --version 2>&1 | head -1), $(date -u +%FT%TZ)"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())'
# The batch benchmark: one process in its default runs and in runs of 16 and 32 pages, then 8 and 16
# pinned worker processes. The single-page benchmark runs when SINGLE=1 (about a minute more).
status=0
python3 -m bench.ocr_speed --batch 64 --runs 16,32 --processes 8,16 --pages-dir "$home/x/pages" 2>&1 \
    | tee "$out/batch.log" || status=$?
if [ "${SINGLE:-0}" = 1 ]; then
    python3 -m bench.ocr_speed --pages 6 --pages-dir "$home/x/pages" --backends auto --no-accent-variant 2>&1 \
        | tee "$out/single.log" || status=$?
fi
exit "$status"
