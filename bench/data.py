"""Where the benchmark documents are: the real third-party invoices in ../shared/data (never copied
into the repository) and freshly generated synthetic ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp")


@dataclass(frozen=True, slots=True)
class BenchDoc:
    id: str
    path: Path
    truth_path: Path

    @property
    def truth(self) -> dict[str, Any]:
        return json.loads(self.truth_path.read_text())

    @property
    def is_image(self) -> bool:
        return self.path.suffix.lower() in IMAGE_SUFFIXES


def real_documents(data_dir: Path = SHARED_DATA, images: bool = False) -> list[BenchDoc]:
    """Every truth file's document: the `.visual.pdf` copy where one exists (embedded XML removed),
    else the `.pdf`; images only when `images` (they need OCR). Empty when the folder is absent.
    """
    if not data_dir.is_dir():
        return []
    docs = []
    for truth_path in sorted(data_dir.rglob("*.truth.json")):
        doc_id = truth_path.name.removesuffix(".truth.json")
        folder = truth_path.parent
        candidates = [folder / f"{doc_id}.visual.pdf", folder / f"{doc_id}.pdf"]
        if images:
            stem = doc_id.removesuffix("_png")
            candidates += [folder / f"{doc_id}{s}" for s in IMAGE_SUFFIXES]
            candidates += [folder / f"{stem}_png.png"]
        path = next((c for c in candidates if c.is_file()), None)
        if path is not None:
            docs.append(BenchDoc(doc_id, path, truth_path))
    return docs


def synthetic_documents(folder: Path, count: int, seed: int) -> list[BenchDoc]:
    """Generate `count` invoices into `folder` and list them."""
    from bench.synth import write_set

    return [BenchDoc(p.stem, p, p.with_name(p.stem + ".truth.json")) for p in write_set(folder, count, seed)]


def embedded_pairs(data_dir: Path = SHARED_DATA) -> list[tuple[BenchDoc, BenchDoc]]:
    """(original, visual) copies of every document whose PDF embeds an e-invoice XML.

    The README's convention marks them: `<id>.visual.pdf` beside `<id>.pdf` is the same pages with
    the embedded XML removed, so the pair measures what reading the XML buys over the page alone
    (the Factur-X set, and invoice2data's AzureInterior with its Odoo UBL). Empty when absent.
    """
    pairs = []
    for visual in real_documents(data_dir):
        if not visual.path.name.endswith(".visual.pdf"):
            continue
        original = visual.path.with_name(f"{visual.id}.pdf")
        if original.is_file():
            pairs.append((BenchDoc(visual.id, original, visual.truth_path), visual))
    return pairs
