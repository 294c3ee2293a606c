"""`invoice-ocr batch DIR` against the API served over a real socket: results, resume, no duplicates."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select

from tests.service.conftest import ROOT, make_invoice_pdf

pytestmark = pytest.mark.service


@pytest.fixture()
def served(app):  # type: ignore[no-untyped-def]
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_batch_folder_with_resume(served, key, stack, sessions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from store.keys import authenticate
    from store.models import Document

    folder = tmp_path / "inbox"
    (folder / "2024").mkdir(parents=True)
    for i in range(3):
        (folder / "2024" / f"inv{i}.pdf").write_bytes(make_invoice_pdf(f"INV-F{i}"))
    (folder / "broken.pdf").write_bytes(b"hello, I am not a PDF")
    (folder / "notes.txt").write_text("ignored: not a document suffix")
    out = tmp_path / "results.jsonl"
    cmd = [
        sys.executable,
        "-m",
        "cli.main",
        "batch",
        str(folder),
        "--url",
        served,
        "--key",
        key,
        "--out",
        str(out),
        "--concurrency",
        "2",
    ]
    first = subprocess.run(cmd, cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=180)
    assert first.returncode == 1, first.stderr  # broken.pdf was rejected
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    by_path = {line["source_path"]: line for line in lines}
    assert set(by_path) == {"2024/inv0.pdf", "2024/inv1.pdf", "2024/inv2.pdf", "broken.pdf"}
    assert by_path["broken.pdf"]["status"] == "rejected" and by_path["broken.pdf"]["http_status"] == 400
    for i in range(3):
        assert by_path[f"2024/inv{i}.pdf"]["status"] == "succeeded"
    assert "4 to go" in first.stderr

    # Lose one result line (as if the run had been killed), rerun: only that file is fetched again,
    # and the server-side Idempotency-Key means no second document is created for it.
    kept = [line for line in out.read_text().splitlines() if "inv1.pdf" not in line]
    out.write_text("\n".join(kept) + "\n")
    second = subprocess.run(cmd, cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=180)
    assert "3 already done, 1 to go" in second.stderr, second.stderr
    assert second.returncode == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["source_path"] for line in lines) == sorted(by_path)
    with sessions() as s:
        tenant_id = authenticate(s, key).tenant_id
        count = s.scalar(select(func.count()).select_from(Document).where(Document.tenant_id == tenant_id))
    assert count == 3
