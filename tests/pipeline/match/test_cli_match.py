"""`invoice-ocr match` on result JSON files: exit status follows the match status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from tests.pipeline.match.test_match import ORDER, _dn, _invoice, _po


def _write(tmp: Path, name: str, data: dict) -> str:
    path = tmp / name
    path.write_text(json.dumps(data))
    return str(path)


def test_partial_delivery_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inv = _write(tmp_path, "inv.json", _invoice([("A-100", "Office chair", 6, 120.0)]))
    po = _write(tmp_path, "po.json", _po(ORDER))
    dn = _write(tmp_path, "dn.json", _dn([("A-100", "Office chair", 10, 6)]))
    assert main(["match", inv, po, dn]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "partial"


def test_mismatch_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inv = _write(tmp_path, "inv.json", _invoice([("A-100", "Office chair", 10, 120.0)]))
    po = _write(tmp_path, "po.json", _po(ORDER))
    dn = _write(tmp_path, "dn.json", _dn([("A-100", "Office chair", 10, 6)]))
    assert main(["match", inv, po, dn]) == 2
    assert json.loads(capsys.readouterr().out)["status"] == "mismatch"


def test_unreadable_file_exits_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = _write(tmp_path, "po.json", _po(ORDER))
    assert main(["match", str(tmp_path / "missing.pdf"), po]) == 1
    assert "cannot read" in capsys.readouterr().err
