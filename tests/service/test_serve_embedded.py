"""`invoice-ocr serve` with no servers (SQLite, local files, SQLite broker), killed with -9 mid-work
and restarted on the same data dir: every accepted document reaches a final status, none twice."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.service.conftest import ROOT, Proc, free_port, make_invoice_pdf, wait_for

pytestmark = pytest.mark.service

EMBEDDED_UNSET = ("DATABASE_URL", "BROKER_URL", "STORAGE_URL", "S3_ENDPOINT_URL", "INVOICE_OCR_SECRET_KEY")


def embedded_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in EMBEDDED_UNSET}
    env.update(
        PYTHONPATH=str(ROOT),
        INVOICE_OCR_DATA_DIR=str(data_dir),
        INVOICE_OCR_PROCESSING_LEASE_SECONDS="4",
        INVOICE_OCR_SWEEP_INTERVAL_SECONDS="1",
    )
    return env


def start_serve(env: dict[str, str], port: int, log: Path) -> Proc:
    proc = Proc([sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--workers", "2"], env, log)

    def healthy() -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    wait_for(healthy, 90, "invoice-ocr serve", proc)
    wait_for(lambda: proc.says("ready."), 90, "serve's worker", proc)
    return proc


def test_serve_survives_kill_9(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    env = embedded_env(data_dir)
    cli = [sys.executable, "-m", "cli.main"]
    subprocess.run([*cli, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)
    created = subprocess.run(
        [*cli, "keys", "create", "--tenant", "acme"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    key = json.loads(created.stdout)["key"]
    headers = {"Authorization": f"Bearer {key}"}
    port = free_port()
    serve = start_serve(env, port, tmp_path / "serve-1.log")
    ids = []
    try:
        for i in range(6):
            data = make_invoice_pdf(f"INV-S{i}", pages=60 if i % 2 == 0 else 1)
            response = requests.post(
                f"http://127.0.0.1:{port}/v1/documents",
                headers=headers,
                files={"file": (f"s{i}.pdf", data, "application/pdf")},
                timeout=30,
            )
            assert response.status_code == 202, response.text
            ids.append(response.json()["id"])
        db = sqlite3.connect(data_dir / "invoice-ocr.sqlite3", timeout=30)
        wait_for(
            lambda: db.execute("select count(*) from documents where status='processing'").fetchone()[0],
            60,
            "a document in processing",
            serve,
        )
        serve.kill()  # SIGKILL to serve, its API server and its worker pool at once
        serve.proc.wait(timeout=10)
        unfinished = db.execute(
            "select count(*) from documents where status in ('queued','processing')"
        ).fetchone()[0]
        assert unfinished >= 1
    finally:
        serve.stop()
    serve = start_serve(env, port, tmp_path / "serve-2.log")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            statuses = [
                requests.get(f"http://127.0.0.1:{port}/v1/documents/{i}", headers=headers, timeout=10).json()[
                    "status"
                ]
                for i in ids
            ]
            if all(s in ("succeeded", "failed") for s in statuses):
                break
            time.sleep(0.5)
        assert statuses == ["succeeded"] * 6, statuses
        results = db.execute("select document_id, count(*) from results group by document_id").fetchall()
        assert sorted(results) == sorted((i, 1) for i in ids)
        finished = db.execute(
            "select document_id, count(*) from status_events where status='succeeded' group by document_id"
        ).fetchall()
        assert sorted(finished) == sorted((i, 1) for i in ids)
        assert "re-enqueued" in (tmp_path / "serve-2.log").read_text()
    finally:
        serve.stop()
        db.close()
