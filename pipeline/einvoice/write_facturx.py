"""Factur-X PDFs: the original PDF (an image or scan wrapped into one first) with our CII attached.

The `factur-x` library does the PDF/A-3 plumbing (the /AF relationship, XMP with the profile,
factur-x.xml as the attachment name) and checks the XML against the EN 16931 XSD while doing so.
"""

from __future__ import annotations

import pymupdf

from pipeline.errors import CorruptDocument, UnsupportedType
from pipeline.load import sniff


def image_to_pdf(data: bytes) -> bytes:
    """Each image frame (multi-page TIFF: each page) as one PDF page of the image's size."""
    try:
        img = pymupdf.open(stream=data)
        pdf_bytes = img.convert_to_pdf()
        img.close()
    except Exception as exc:  # PyMuPDF raises several types for broken images
        raise CorruptDocument(f"the image cannot be wrapped into a PDF: {exc}") from None
    return pdf_bytes


def pdf_of(original: bytes) -> bytes:
    """The original as a PDF: PDFs unchanged, images wrapped."""
    mime = sniff(original)
    if mime == "application/pdf":
        return original
    if mime and mime.startswith("image/"):
        return image_to_pdf(original)
    raise UnsupportedType("a Factur-X export needs the original PDF or image")


def write_facturx(original: bytes, cii_xml: bytes) -> bytes:
    """The original PDF with `cii_xml` embedded as factur-x.xml (profile EN 16931)."""
    from facturx import generate_from_binary

    pdf = pdf_of(original)
    try:
        return generate_from_binary(pdf, cii_xml, flavor="factur-x", level="en16931", check_xsd=True)
    except Exception as exc:  # the library raises bare Exception for XSD and PDF problems
        raise CorruptDocument(f"the Factur-X PDF could not be made: {exc}") from None
