"""E-invoices in and out (issue 7): CII / UBL XML <-> the invoice evidence tree and the contract.

In: `read_embedded(doc)` finds the Factur-X / ZUGFeRD / XRechnung XML attached to a PDF,
`load_xml(data)` reads a bare CII or UBL upload; both give an `EmbeddedInvoice` whose tree has the
shape of `InvoiceContent` with exact leaves (confidence 1.0, no page). `merge_with_visual` lays the
XML over the visual extraction and reports where the page disagrees.
Out: `export(result, fmt, original)` writes CII, UBL, CSV or a Factur-X PDF from a result.
Every XML is parsed with a hardened parser (no DTDs, entities or external references).
"""

from pipeline.einvoice.crosscheck import merge_with_visual
from pipeline.einvoice.export import FORMATS, ExportError, export
from pipeline.einvoice.profiles import Profile
from pipeline.einvoice.reader import load_xml, read_embedded
from pipeline.einvoice.tree import EmbeddedInvoice

__all__ = [
    "FORMATS",
    "EmbeddedInvoice",
    "ExportError",
    "Profile",
    "export",
    "load_xml",
    "merge_with_visual",
    "read_embedded",
]
