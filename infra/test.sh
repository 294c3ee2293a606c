#!/usr/bin/env bash
# Second command of the README (and all that .ci/run does): install, start what the tests need,
# lint, run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/system-packages.sh
bash infra/venv.sh test
# PostgreSQL and Redis: started here when they are not already running. The tests start the S3
# server (moto) and the Celery workers themselves.
bash infra/services.sh
echo "invoice-ocr: ruff" >&2
.venv/bin/ruff check .
# Known high-severity vulnerabilities in the dependencies fail the build; without network (or
# without PyPI's advisory data) the audit says it was skipped and the build goes on.
echo "invoice-ocr: dependency audit" >&2
.venv/bin/python infra/audit.py
# pytest exits non-zero on any failure, and with 5 when it collected no test: both fail CI.
exec .venv/bin/python -m pytest "$@"
