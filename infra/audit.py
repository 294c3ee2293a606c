"""Dependency audit for CI: pip-audit over the installed environment, failing on high-severity issues.

    .venv/bin/python infra/audit.py            # what infra/test.sh runs
    .venv/bin/python infra/audit.py -r req.txt --no-deps --disable-pip   # audit pinned requirements
    .venv/bin/pip-audit -l --skip-editable     # the plain manual command (every finding, any severity)

pip-audit reads the vulnerability records from PyPI's JSON API. When they cannot be read (an
offline CI runner, or a mirror that serves releases without advisories), the audit is skipped with a
message saying so and exit status 0: a missing network must never fail the build; run the manual
command where the network is available.

Severity: PyPI's records carry none, so each finding is looked up on OSV (api.osv.dev). HIGH and
CRITICAL fail the build; MODERATE/LOW are printed. A finding whose severity cannot be learned (OSV
unreachable, or no rating) counts as high: unknown is not safe. Accepted findings go, one id per
line with the reason after a `#`, into infra/audit-ignore.txt.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
FAILING = {"HIGH", "CRITICAL", "UNKNOWN"}
SENTINEL = "requests/2.19.0"  # CVE-2018-18074 / GHSA-x84v-xcm2-53pg: PyPI lists it for this release


def vulnerability_data_available() -> str | None:
    """None when PyPI's vulnerability records can be read from here, else why not.

    Reaching pypi.org is not enough: a mirror or a filtering proxy may answer for current releases
    only, or without the `vulnerabilities` field, and pip-audit would then report "no known
    vulnerabilities" for want of data. A release with a published advisory must show it.
    """
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{SENTINEL}/json", timeout=10) as response:
            record = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"pypi.org cannot be reached ({exc})"
    if not record.get("vulnerabilities"):
        return f"pypi.org answers, but without the advisories known for {SENTINEL.replace('/', ' ')}"
    return None


def ignored() -> dict[str, str]:
    path = HERE / "audit-ignore.txt"
    out: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            vuln, _, reason = line.partition("#")
            if vuln.strip():
                out[vuln.strip()] = reason.strip()
    return out


def severity(ids: list[str]) -> str:
    """The GitHub-advisory rating OSV has for any of `ids`, or UNKNOWN."""
    for vuln in ids:
        try:
            with urllib.request.urlopen(f"https://api.osv.dev/v1/vulns/{vuln}", timeout=10) as response:
                record = json.load(response)
        except (urllib.error.URLError, OSError, ValueError):
            continue
        rating = (record.get("database_specific") or {}).get("severity")
        if isinstance(rating, str) and rating:
            return rating.upper()
    return "UNKNOWN"


def main(target: list[str]) -> int:
    """Audit `target` (pip-audit arguments naming what to audit; the installed environment by default)."""
    missing = vulnerability_data_available()
    if missing is not None:
        print(
            f"dependency audit SKIPPED: no vulnerability data here: {missing}.\n"
            "Run it where the network is available: .venv/bin/pip-audit -l --skip-editable",
            file=sys.stderr,
        )
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        proc = subprocess.run(
            [str(VENV_BIN / "pip-audit"), *target, "--progress-spinner", "off",
             "-f", "json", "-o", str(report)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        if not report.exists():
            tail = proc.stderr[-2000:]
            print(f"dependency audit SKIPPED: pip-audit produced no report:\n{tail}", file=sys.stderr)
            return 0
        data = json.loads(report.read_text())
    skip = ignored()
    failing = []
    for dep in data.get("dependencies", []):
        for vuln in dep.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            if any(i in skip for i in ids):
                continue
            rating = severity(sorted(ids, key=lambda i: not i.startswith("GHSA")))
            line = (
                f"{dep['name']} {dep['version']}: {vuln['id']} ({rating}); "
                f"fixed in {', '.join(vuln.get('fix_versions', [])) or 'no release yet'}"
            )
            print(line)
            if rating in FAILING:
                failing.append(line)
    deps = data.get("dependencies", [])
    audited = sum(1 for d in deps if "skip_reason" not in d)
    for dep in deps:
        if "skip_reason" in dep:
            print(f"not audited: {dep['skip_reason']}", file=sys.stderr)
    if failing:
        print(f"dependency audit FAILED: {len(failing)} high-severity finding(s) in {audited} packages; "
              "upgrade, or accept one in infra/audit-ignore.txt with a reason", file=sys.stderr)
        return 1
    print(f"dependency audit: {audited} packages, no high-severity finding", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["-l", "--skip-editable"]))
