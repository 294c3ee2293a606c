"""Shared helpers: the real Factur-X samples in ../shared (skipped cleanly when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

FACTURX_DIR = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "facturx"
SAMPLES = sorted(p.name.removesuffix(".truth.json") for p in FACTURX_DIR.glob("fx_*.truth.json"))


def sample_path(name: str, suffix: str = ".pdf") -> Path:
    path = FACTURX_DIR / f"{name}{suffix}"
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path
