#!/usr/bin/env bash
# System packages the Python install cannot bring: Tesseract with the German, French, Spanish and
# Dutch data, which puts accents back into OCR'd words (EasyOCR's offline English weights have
# none). Installed with apt-get when missing and we are root on Debian/Ubuntu; elsewhere a note
# says what to install (scans then come back without accents; nothing else changes).
set -uo pipefail
langs=(deu fra spa nld)
have_all() {
    command -v tesseract >/dev/null 2>&1 || return 1
    local have
    have=$(tesseract --list-langs 2>/dev/null)
    for l in "${langs[@]}"; do grep -qx "$l" <<<"$have" || return 1; done
}
have_all && exit 0
pkgs=(tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-nld)
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "invoice-ocr: installing ${pkgs[*]}" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}"; } >/dev/null 2>&1 \
        || echo "invoice-ocr: apt-get could not install ${pkgs[*]}; OCR will run without accent repair" >&2
else
    echo "invoice-ocr: note: install ${pkgs[*]} (or your system's Tesseract 5 with deu/fra/spa/nld data)" \
         "for accents in scanned documents" >&2
fi
exit 0
