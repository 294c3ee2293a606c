"""A thin drawing surface over PyMuPDF: text with alignment and wrapping, rules, boxes, pages.

Text is written with the Base-14 designs as embedded font files (`pymupdf.Font("helv")` etc.), not
as unembedded Base-14 references: those only map Latin-1, and the euro sign would come out as a
wrong glyph in the text layer. The fonts are subset when the document is saved.
"""

from __future__ import annotations

import pymupdf

BOLD = {"helv": "hebo", "tiro": "tibo", "cour": "cobo"}
Color = tuple[float, float, float]
BLACK: Color = (0, 0, 0)
GREY: Color = (0.4, 0.4, 0.4)


class Canvas:
    """One PDF being drawn; `page` is the current page, coordinates are points from the top-left."""

    def __init__(self, width: float, height: float, family: str) -> None:
        self.width, self.height = width, height
        self.doc = pymupdf.open()
        self.fonts = {"R": pymupdf.Font(family), "B": pymupdf.Font(BOLD[family])}
        self.page: pymupdf.Page = None  # type: ignore[assignment]
        self.new_page()

    @property
    def page_number(self) -> int:
        return self.page.number

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=self.width, height=self.height)
        for name, font in self.fonts.items():
            self.page.insert_font(fontname=name, fontbuffer=font.buffer)

    def goto(self, index: int) -> None:
        self.page = self.doc[index]

    def measure(self, text: str, size: float, bold: bool = False) -> float:
        return self.fonts["B" if bold else "R"].text_length(text, fontsize=size)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        bold: bool = False,
        align: str = "l",
        color: Color = BLACK,
    ) -> float:
        """Write `text` with its baseline at `y`; `x` is the left, right ('r') or centre ('c') anchor.

        Returns the x where the text ends.
        """
        if not text:
            return x
        w = self.measure(text, size, bold)
        x0 = x - w if align == "r" else x - w / 2 if align == "c" else x
        self.page.insert_text((x0, y), text, fontname="B" if bold else "R", fontsize=size, color=color)
        return x0 + w

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        """Greedy word wrap to `width` points (a single over-long word stays on its own line)."""
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            trial = f"{current} {word}" if current else word
            if current and self.measure(trial, size, bold) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        if current:
            lines.append(current)
        return lines or [""]

    def hline(self, x0: float, x1: float, y: float, width: float = 0.5, color: Color = BLACK) -> None:
        self.page.draw_line((x0, y), (x1, y), color=color, width=width)

    def vline(self, x: float, y0: float, y1: float, width: float = 0.5, color: Color = BLACK) -> None:
        self.page.draw_line((x, y0), (x, y1), color=color, width=width)

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: Color | None = None,
        stroke: Color | None = BLACK,
        width: float = 0.6,
    ) -> None:
        self.page.draw_rect(pymupdf.Rect(x0, y0, x1, y1), color=stroke, fill=fill, width=width)

    def finish(self) -> bytes:
        """Subset the fonts and return the PDF bytes (byte-identical for identical drawing)."""
        self.doc.subset_fonts()
        # fixed metadata and no random /ID: the same seed gives the same bytes
        self.doc.set_metadata({"producer": "invoice-ocr bench.synth", "creator": "invoice-ocr bench.synth"})
        data = self.doc.tobytes(garbage=3, deflate=True, no_new_id=True)
        self.doc.close()
        return data
