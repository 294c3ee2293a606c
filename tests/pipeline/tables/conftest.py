"""PDF builders for the table tests: text placed at chosen positions, numbers right-aligned."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf
import pytest

from pipeline.load import load
from pipeline.tables import LineItems, find_line_items

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"


@dataclass
class Col:
    """Where a column's text goes: `x` is the left edge, or the right edge when `right` is set."""

    x: float
    right: bool = False


@dataclass
class Sheet:
    """A PDF under construction: `put` writes one string, `row` a whole table row."""

    doc: pymupdf.Document = field(default_factory=pymupdf.open)
    page: pymupdf.Page | None = None
    font: str = "helv"
    size: float = 9.0

    def new_page(self) -> pymupdf.Page:
        self.page = self.doc.new_page(width=595, height=842)
        return self.page

    def put(self, x: float, y: float, text: str, right: bool = False, size: float | None = None,
            font: str | None = None) -> None:
        assert self.page is not None
        size = size or self.size
        font = font or self.font
        if right:
            x -= pymupdf.get_text_length(text, fontname=font, fontsize=size)
        self.page.insert_text((x, y), text, fontsize=size, fontname=font)

    def row(self, y: float, cols: list[Col], texts: list[str], **kw: object) -> None:
        for col, text in zip(cols, texts, strict=True):
            if text:
                self.put(col.x, y, text, right=col.right, **kw)  # type: ignore[arg-type]

    def items(self) -> LineItems:
        data = self.doc.tobytes()
        return find_line_items(load(data))

    def horstoeko_table(self, pour: str) -> None:
        """horstoeko's and F20180027's line items in 7 pt: "UNIT" over "P.U. HT (EUR)" and, printed
        tight after it, `pour` (the sample's "pour P.U." as a scan read it), three rows of 10 % VAT."""
        size = 7.0
        self.put(300, 154.5, "UNIT", size=size)
        self.put(455, 154.5, "TOTAL HT", size=size)
        for x, text in ((30, "Ligne"), (120, "DESIGNATION"), (370, "Qte"), (515, "TVA")):
            self.put(x, 162, text, size=size)
        self.put(295, 162, "P.U. HT (EUR)", right=True, size=size)
        self.put(297, 162, pour, size=size)
        rows = [("PRESTATION SUPPORT", "60,00", "1,00", "60,00"),
                ("FOURNITURES DIVERSES", "10,00", "3,00", "30,00"), ("APPEL", "5,00", "1,00", "5,00")]
        for k, (desc, price, qty, total) in enumerate(rows):
            y = 180 + 20 * k
            self.put(120, y, desc, size=size)
            self.put(33, y, str(k + 1), size=size)
            self.put(295, y, price, right=True, size=size)
            self.put(300, y, "PCE", size=size)
            self.put(388, y, qty, right=True, size=size)
            self.put(490, y, total, right=True, size=size)
            self.put(535, y, "10,00%", right=True, size=size)


@pytest.fixture
def sheet() -> Sheet:
    s = Sheet()
    s.new_page()
    return s


def values(items: LineItems, key: str) -> list[object]:
    return [r[key].value if key in r else None for r in items.rows]


@pytest.fixture
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED


ItemsOf = Callable[[Sheet], LineItems]
