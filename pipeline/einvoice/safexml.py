"""Hardened XML parsing for e-invoices that arrive from strangers.

An uploaded XML file, or one embedded in a PDF, is attacker-controlled: a DTD can declare entities
that expand to gigabytes ("billion laughs") or that pull in local files or URLs (XXE). Invoices
never need a DTD, so any DOCTYPE, entity declaration or external reference is refused outright via
defusedxml (expat underneath, which decodes every encoding before the checks run, so a UTF-16 file
cannot hide a DOCTYPE from them). The size is capped before parsing.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pipeline.errors import CorruptDocument, LimitExceeded

MAX_XML_BYTES = 20 * 1024 * 1024  # the largest real e-invoices (10k lines) stay far below this
MAX_ELEMENTS = 2_000_000  # element count cap: a flat flood of tags is refused after parsing


def parse_xml(data: bytes, max_bytes: int = MAX_XML_BYTES) -> Element:
    """The root element of `data`.

    CorruptDocument for malformed or hostile XML, LimitExceeded when it is too big.
    """
    if not data or not data.strip():
        raise CorruptDocument("the XML file is empty")
    if len(data) > max_bytes:
        raise LimitExceeded(f"the XML file is {len(data)} bytes; the limit is {max_bytes} bytes")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise CorruptDocument(
            f"the XML was refused: it declares a DTD, entities or external references ({exc})"
        ) from None
    except ParseError as exc:
        raise CorruptDocument(f"the XML is malformed: {exc}") from None
    except (ValueError, RecursionError) as exc:  # bad encodings, absurd nesting
        raise CorruptDocument(f"the XML cannot be read: {exc}") from None
    for count, _ in enumerate(root.iter(), start=1):
        if count > MAX_ELEMENTS:
            raise LimitExceeded(f"the XML has more than {MAX_ELEMENTS} elements")
    return root
