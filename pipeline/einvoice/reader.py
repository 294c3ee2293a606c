"""Entry points for reading e-invoices: a bare XML upload, or the XML embedded in a PDF.

The embedded file names are the standards' own: factur-x.xml (Factur-X, ZUGFeRD 2.1+),
zugferd-invoice.xml (ZUGFeRD 2.0), ZUGFeRD-invoice.xml (ZUGFeRD 1.0), xrechnung.xml; any other
attached *.xml is tried too, since Odoo, for one, attaches UBL under its own name.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from pipeline.einvoice import read_cii, read_ubl
from pipeline.einvoice.profiles import detect_profile
from pipeline.einvoice.safexml import MAX_XML_BYTES, parse_xml
from pipeline.einvoice.tree import EmbeddedInvoice
from pipeline.errors import DocumentError, UnsupportedType
from pipeline.model import LoadedDocument

STANDARD_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")  # compared lower-cased


def invoice_from_root(root: Element, data: bytes, filename: str | None = None) -> EmbeddedInvoice:
    """Read a parsed CII or UBL root; UnsupportedType when it is neither (XML, but not an invoice)."""
    syntax = read_cii.syntax_of(root)
    if syntax:
        profile = detect_profile(syntax, read_cii.guideline_id(root), filename)
        return EmbeddedInvoice(tree=read_cii.read_cii(root), profile=profile, filename=filename, xml=data)
    if read_ubl.is_ubl(root):
        profile = detect_profile("ubl", read_ubl.guideline_id(root), filename)
        return EmbeddedInvoice(tree=read_ubl.read_ubl(root), profile=profile, filename=filename, xml=data)
    raise UnsupportedType(
        f"the XML is not an e-invoice: root element {root.tag!r}; expected a CII "
        "CrossIndustryInvoice (Factur-X, ZUGFeRD, XRechnung) or a UBL 2.1 Invoice / CreditNote"
    )


def load_xml(data: bytes, filename: str | None = None, max_bytes: int = MAX_XML_BYTES) -> EmbeddedInvoice:
    """A bare XML upload -> EmbeddedInvoice; CorruptDocument / LimitExceeded for bad or hostile XML."""
    return invoice_from_root(parse_xml(data, max_bytes), data, filename)


def _candidates(files: dict[str, bytes]) -> list[str]:
    """Standard names first, in the order above, then any other *.xml attachment."""
    by_lower = {name.lower(): name for name in files}
    first = [by_lower[n] for n in STANDARD_NAMES if n in by_lower]
    rest = [n for n in files if n.lower().endswith(".xml") and n not in first]
    return first + rest


def read_embedded(doc: LoadedDocument, max_bytes: int = MAX_XML_BYTES) -> EmbeddedInvoice | None:
    """The e-invoice embedded in `doc` (a PDF's attachments), or None when there is none.

    An attachment under a standard e-invoice name that is malformed, oversized or hostile is refused
    (CorruptDocument / LimitExceeded): it claims to be the invoice, so a silent fallback to the
    page would hide an attack or a broken export. Other *.xml attachments that do not parse as
    CII/UBL are skipped.
    """
    for name in _candidates(doc.embedded_files):
        data = doc.embedded_files[name]
        standard = name.lower() in STANDARD_NAMES
        try:
            return load_xml(data, filename=name, max_bytes=max_bytes)
        except DocumentError as exc:
            if standard:
                raise type(exc)(f"the embedded {name}: {exc.detail}") from None
    return None
