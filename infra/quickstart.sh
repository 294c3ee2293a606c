#!/usr/bin/env bash
# First command of the README: install into ./.venv and extract the sample invoice, no servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/system-packages.sh
bash infra/venv.sh
exec .venv/bin/invoice-ocr extract examples/sample-invoice.pdf --pretty
